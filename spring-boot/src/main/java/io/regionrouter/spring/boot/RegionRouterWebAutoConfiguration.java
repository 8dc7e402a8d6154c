package io.regionrouter.spring.boot;

import io.regionrouter.core.RegionRouter;
import io.regionrouter.spring.boot.internal.RequestUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Registers the {@link RegionContextFilter} in servlet applications, right after Spring Security's
 * filter chain. The user is the authenticated principal; a request header
 * ({@code region-router.web.demo-user-header}) is honoured only while the {@code demo} profile is
 * active, and ignored, with a warning, otherwise.
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
@ConditionalOnBean(RegionRouter.class)
@ConditionalOnProperty(prefix = "region-router.web", name = "context-filter", matchIfMissing = true)
public class RegionRouterWebAutoConfiguration {

    /** Spring Security's filter chain runs at order -100 by default; this filter comes right after it. */
    public static final int FILTER_ORDER = -100 + 10;

    private static final Logger LOG = LoggerFactory.getLogger(RegionRouterWebAutoConfiguration.class);

    /**
     * The filter, registered for every request.
     *
     * @param properties the settings
     * @param environment the environment, for the active profiles
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "regionContextFilter")
    public FilterRegistrationBean<RegionContextFilter> regionContextFilter(RegionRouterProperties properties, Environment environment) {
        String header = properties.getWeb().getDemoUserHeader();
        RegionContextFilter filter;
        if (header != null && environment.acceptsProfiles(Profiles.of("demo"))) {
            LOG.warn("region-router.web.demo-user-header={}: any client can act as any user; never run the demo profile where real"
                    + " data lives", header);
            filter = new RegionContextFilter(RequestUsers.principalOrHeader(header));
        } else {
            if (header != null) {
                LOG.warn("region-router.web.demo-user-header={} is ignored: the demo profile is not active", header);
            }
            filter = new RegionContextFilter(RequestUsers.principal());
        }
        FilterRegistrationBean<RegionContextFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(FILTER_ORDER);
        registration.setName("regionContextFilter");
        return registration;
    }
}
