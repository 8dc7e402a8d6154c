package io.regionrouter.examples.spring;

import io.regionrouter.core.RegionContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds a {@link RegionContext} for the user a request is made for, for the whole request, and
 * refuses requests without a user.
 *
 * <p><b>Where the user comes from.</b> This example reads the {@value #USER_HEADER} header, to stay
 * small. A real application must never trust a user id the client chooses: it takes the
 * authenticated principal instead, for example with Spring Security
 * {@code SecurityContextHolder.getContext().getAuthentication().getName()} (or a claim of the
 * verified JWT, such as {@code sub}), and runs this filter after the security filter chain.
 * Otherwise any client could route itself to, and read, another user's data.
 *
 * <p>The context is bound before the controller runs, so a transaction opened by the controller
 * or a service already gets a connection of the user's home region.
 */
public class RegionContextFilter extends OncePerRequestFilter {

    /** The request header that names the user in this example. */
    public static final String USER_HEADER = "X-User-Id";

    @Override
    @SuppressWarnings("try") // the scope binds the context; the body need not touch it
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = request.getHeader(USER_HEADER);
        if (user == null || user.isBlank()) {
            refuse(response);
            return;
        }
        try (RegionContext.Scope scope = RegionContext.forUser(user.strip()).open()) {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"no user: every request must be made for a user (header " + USER_HEADER
                + "), because the user decides the region that holds the data\"}");
    }
}
