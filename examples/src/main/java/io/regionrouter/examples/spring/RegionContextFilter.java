package io.regionrouter.examples.spring;

import io.regionrouter.core.RegionContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds the {@link RegionContext} of the authenticated user for the whole request, so that every
 * connection the request takes comes from that user's home region.
 *
 * <p>The user is the principal Spring Security authenticated, never a value the client names: a
 * client-chosen user id would let anyone route itself to, and read, another user's data. The filter
 * therefore runs inside the security filter chain, after authorization ({@link SecurityConfiguration}),
 * and is not a servlet filter of its own. A request that reaches it without an authenticated user is
 * refused, because REGULATED data cannot be routed without one.
 *
 * <p>The context is bound before the controller runs, so a transaction opened by the controller
 * or a service already gets a connection of the user's home region.
 */
public final class RegionContextFilter extends OncePerRequestFilter {

    private final AuthenticationEntryPoint unauthorized;
    private final SecurityContextHolderStrategy securityContext = SecurityContextHolder.getContextHolderStrategy();
    private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

    /**
     * Creates the filter.
     *
     * @param unauthorized answers a request that arrives without an authenticated user
     */
    public RegionContextFilter(AuthenticationEntryPoint unauthorized) {
        this.unauthorized = Objects.requireNonNull(unauthorized, "unauthorized");
    }

    @Override
    @SuppressWarnings("try") // the scope binds the context; the body need not touch it
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = securityContext.getContext().getAuthentication();
        // the anonymous token has a name too ("anonymousUser"); it must never become a routing key
        if (user == null || !user.isAuthenticated() || trustResolver.isAnonymous(user)) {
            unauthorized.commence(request, response,
                    new InsufficientAuthenticationException("no authenticated user to route by"));
            return;
        }
        try (RegionContext.Scope scope = RegionContext.forUser(user.getName()).open()) {
            chain.doFilter(request, response);
        }
    }
}
