package io.regionrouter.examples.spring;

import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Decides who a request is made for, before anything routes by it. The user is the authenticated
 * principal and nothing else: a user id the client merely names would let any client route itself
 * to another user's data.
 *
 * <p>The example authenticates with HTTP Basic against an in-memory store filled from
 * {@link ExampleSecurityProperties}, to stay self-contained. A real application authenticates
 * against its identity provider instead (for example {@code oauth2ResourceServer(jwt)}, where the
 * principal's name is the verified token's {@code sub} claim); the starter's
 * {@code RegionContextFilter}, which runs right after this chain, works unchanged with any of them,
 * because it only reads the principal's name. A request that reaches the application without an
 * authenticated user has already been answered {@code 401} here, and routing fails closed for any
 * code that runs without one.
 *
 * <p>{@code /actuator/health} answers without credentials with its status only
 * ({@code management.endpoint.health.show-details=when-authorized}); every other endpoint needs a user.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http,
            ObjectProvider<DemoUserHeaderAuthentication> demoUserHeader) throws Exception {
        AuthenticationEntryPoint unauthorized = new ProblemAuthenticationEntryPoint();
        http.authorizeHttpRequests(requests -> requests
                        // an error page is rendered for a request that was already let in or refused
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized))
                // every request carries its own credentials: no session may carry a user over to the next one
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // no cookie or session authenticates a request, and the API only takes application/json,
                // which a cross-site form cannot send; a browser front end with a session must keep CSRF on
                .csrf(AbstractHttpConfigurer::disable);
        demoUserHeader.ifAvailable(demo -> demo.applyTo(http));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * The example's users. Defining this bean also keeps Spring Boot from creating its default
     * user, whose generated password it would print to the log.
     *
     * @throws IllegalStateException if no user is configured outside the demo profile, where nobody
     *     could ever be let in
     */
    @Bean
    UserDetailsService userDetailsService(ExampleSecurityProperties properties, PasswordEncoder passwordEncoder,
            ObjectProvider<DemoUserHeaderAuthentication> demoUserHeader) {
        if (properties.users().isEmpty() && demoUserHeader.getIfAvailable() == null) {
            throw new IllegalStateException("example.security.users must name at least one user (example.security"
                    + ".users.<name>=<password>) unless the demo profile is active, but was empty");
        }
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        properties.users().forEach((name, password) -> users.createUser(User.withUsername(name)
                .password(ExampleSecurityProperties.isEncoded(password) ? password : passwordEncoder.encode(password))
                .roles("USER")
                .build()));
        return users;
    }
}
