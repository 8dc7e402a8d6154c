package io.regionrouter.spring.boot.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

/** Ways to find the user of a request. Stateless. */
public final class RequestUsers {

    private static final boolean SECURITY_PRESENT =
            ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", RequestUsers.class.getClassLoader());

    private RequestUsers() {
    }

    /**
     * The authenticated principal: Spring Security's authentication when Spring Security is present
     * (the anonymous one excluded: its name "anonymousUser" must never become a routing key), else the
     * servlet container's principal.
     *
     * @return the finder
     */
    public static Function<HttpServletRequest, Optional<String>> principal() {
        return SECURITY_PRESENT ? SecurityPrincipal.INSTANCE : request -> Optional.ofNullable(request.getUserPrincipal()).map(Principal::getName);
    }

    /**
     * The principal if there is one, else the value of a request header: for demos only, since any
     * client can name any user.
     *
     * @param header the header
     * @return the finder
     */
    public static Function<HttpServletRequest, Optional<String>> principalOrHeader(String header) {
        Function<HttpServletRequest, Optional<String>> principal = principal();
        return request -> principal.apply(request).or(() -> Optional.ofNullable(request.getHeader(header)).filter(v -> !v.isBlank()));
    }

    /** Kept apart so that the class loads only where Spring Security is present. */
    private static final class SecurityPrincipal implements Function<HttpServletRequest, Optional<String>> {
        static final SecurityPrincipal INSTANCE = new SecurityPrincipal();
        private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

        @Override
        public Optional<String> apply(HttpServletRequest request) {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            if (user == null || !user.isAuthenticated() || trust.isAnonymous(user)) {
                return Optional.empty();
            }
            return Optional.of(user.getName());
        }
    }
}
