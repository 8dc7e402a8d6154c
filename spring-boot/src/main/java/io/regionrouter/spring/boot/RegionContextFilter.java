package io.regionrouter.spring.boot;

import io.regionrouter.core.RegionContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds each request to the {@link RegionContext} of its authenticated user for the rest of the
 * request, so that every connection it takes comes from that user's home region. The user comes from
 * a {@link Function} of the request: by default the principal that Spring Security (or the servlet
 * container) authenticated, never a value the client names.
 *
 * <p>A request with no user passes through with no context: routing then fails closed
 * ({@code NoRegionContextException}) for anything that needs one, and the application's security
 * configuration decides who gets a 401. Registered after Spring Security's filter chain, so the
 * security context is already set.
 */
public final class RegionContextFilter extends OncePerRequestFilter {

    private final Function<HttpServletRequest, Optional<String>> users;

    /**
     * Creates the filter.
     *
     * @param users finds the authenticated user of a request, if any
     */
    public RegionContextFilter(Function<HttpServletRequest, Optional<String>> users) {
        this.users = users;
    }

    @Override
    @SuppressWarnings("try") // the scope binds the context; the body need not touch it
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> user = users.apply(request);
        if (user.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        try (RegionContext.Scope scope = RegionContext.forUser(user.get()).open()) {
            chain.doFilter(request, response);
        }
    }
}
