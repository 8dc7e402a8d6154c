package io.regionrouter.examples.spring;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a user-id header into an authentication, for {@link DemoUserHeaderAuthentication} only,
 * which adds it to the security chain in the demo profile. It is not a bean, so Spring Boot never
 * registers it as a servlet filter of its own.
 *
 * <p>A request that is already authenticated keeps its user, and a header that is not a valid user
 * id ({@link UserIds#RULE}) is ignored, so such a request stays unauthenticated and gets
 * {@code 401}.
 */
final class DemoUserHeaderFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(DemoUserHeaderFilter.class);

    private final String header;
    private final SecurityContextHolderStrategy securityContext = SecurityContextHolder.getContextHolderStrategy();

    DemoUserHeaderFilter(String header) {
        this.header = header;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = request.getHeader(header);
        if (user != null && securityContext.getContext().getAuthentication() == null) {
            String candidate = user.strip();
            if (UserIds.isValid(candidate)) {
                SecurityContext context = securityContext.createEmptyContext();
                context.setAuthentication(new PreAuthenticatedAuthenticationToken(candidate, "N/A",
                        AuthorityUtils.createAuthorityList("ROLE_USER")));
                securityContext.setContext(context);
            } else {
                // the value itself is not logged: it is whatever the client sent, of any length
                LOG.debug("ignored a {} header that does not match {}", header, UserIds.RULE);
            }
        }
        chain.doFilter(request, response);
    }
}
