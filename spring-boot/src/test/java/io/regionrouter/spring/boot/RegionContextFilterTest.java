package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.RegionContext;
import jakarta.servlet.FilterChain;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

class RegionContextFilterTest {

    final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class, RegionRouterWebAutoConfiguration.class))
            .withPropertyValues("region-router.regions=us,eu", "region-router.local=us", "region-router.directory.type=static",
                    "region-router.directory.users.alice=eu", "region-router.web.demo-user-header=X-User-Id");

    @AfterEach
    void clearSecurity() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theAuthenticatedPrincipal_isBoundForTheRequest_andUnboundAfter() {
        runner.run(context -> {
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", AuthorityUtils.NO_AUTHORITIES));
            assertThat(userSeenBy(filter(context), request())).isEqualTo("alice");
            assertThat(RegionContext.current()).isEmpty();
        });
    }

    @Test
    void anAnonymousOrMissingUser_getsNoContext_andTheHeaderIsIgnoredOutsideTheDemoProfile() {
        runner.run(context -> {
            MockHttpServletRequest request = request();
            request.addHeader("X-User-Id", "alice");
            assertThat(userSeenBy(filter(context), request)).isEqualTo("none");
            SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
                    AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
            assertThat(userSeenBy(filter(context), request)).isEqualTo("none");
        });
    }

    @Test
    void inTheDemoProfile_theHeaderNamesTheUser() {
        runner.withPropertyValues("spring.profiles.active=demo").run(context -> {
            MockHttpServletRequest request = request();
            request.addHeader("X-User-Id", "alice");
            assertThat(userSeenBy(filter(context), request)).isEqualTo("alice");
        });
    }

    @Test
    void theFilter_runsRightAfterSpringSecurity_andCanBeTurnedOff() {
        runner.run(context -> assertThat(context.getBean("regionContextFilter", FilterRegistrationBean.class).getOrder())
                .isEqualTo(-90));
        runner.withPropertyValues("region-router.web.context-filter=false")
                .run(context -> assertThat(context).doesNotHaveBean("regionContextFilter"));
    }

    private static RegionContextFilter filter(org.springframework.context.ApplicationContext context) {
        return (RegionContextFilter) context.getBean("regionContextFilter", FilterRegistrationBean.class).getFilter();
    }

    private static MockHttpServletRequest request() {
        return new MockHttpServletRequest("GET", "/profiles/me");
    }

    private static String userSeenBy(RegionContextFilter filter, MockHttpServletRequest request) throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        FilterChain chain = (req, res) -> seen.set(RegionContext.current().flatMap(RegionContext::userId).orElse("none"));
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return seen.get();
    }
}
