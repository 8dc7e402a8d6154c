package io.regionrouter.examples.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.stereotype.Component;

/**
 * <b>Demo profile only: trusts the {@value #HEADER} header as the authenticated user.</b> With it,
 * the example can be tried with {@code curl -H 'X-User-Id: alice'} and no user store. It exists
 * only while the {@code demo} Spring profile is active; without that profile nothing reads the
 * header, and a request that carries only the header is refused with {@code 401}.
 *
 * <p>Never activate it where real data lives: the header is chosen by the client, so with this
 * profile any client can act as any user. HTTP Basic credentials, when a request carries them, still
 * win over the header.
 */
@Component
@Profile("demo")
public class DemoUserHeaderAuthentication {

    /** The request header that names the user in the demo profile. */
    public static final String HEADER = "X-User-Id";

    private static final Logger LOG = LoggerFactory.getLogger(DemoUserHeaderAuthentication.class);

    /** Creates the demo authentication and says loudly that it is on. */
    public DemoUserHeaderAuthentication() {
        LOG.warn("demo profile: the {} request header is trusted as the authenticated user, so any client can act "
                + "as any user; never activate this profile outside a demo", HEADER);
    }

    /**
     * Adds the header's authentication to the security chain, after HTTP Basic, so that it only
     * applies to a request that Basic did not authenticate.
     */
    void applyTo(HttpSecurity http) {
        http.addFilterAfter(new DemoUserHeaderFilter(HEADER), BasicAuthenticationFilter.class);
    }
}
