package io.regionrouter.spring.boot;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.redis.RegionalRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/** The {@code regionrouter} actuator endpoint, when Spring Boot's actuator is present. */
@AutoConfiguration(after = {RegionRouterAutoConfiguration.class, RegionRouterJdbcAutoConfiguration.class,
        RegionRouterStoresAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(RegionRouter.class)
public class RegionRouterEndpointAutoConfiguration {

    private static final boolean REDIS_PRESENT =
            ClassUtils.isPresent("io.regionrouter.redis.RegionalRedis", RegionRouterEndpointAutoConfiguration.class.getClassLoader());
    private static final boolean JDBC_PRESENT =
            ClassUtils.isPresent("io.regionrouter.jdbc.RegionalDataSources", RegionRouterEndpointAutoConfiguration.class.getClassLoader());

    /**
     * The endpoint; expose it with {@code management.endpoints.web.exposure.include=regionrouter}.
     *
     * @param router the router
     * @param beans the context, for the stores' beans that are present
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    public RegionRouterEndpoint regionRouterEndpoint(RegionRouter router, BeanFactory beans) {
        List<Function<Region, Map<String, Object>>> details = new ArrayList<>();
        if (JDBC_PRESENT) {
            details.add(JdbcDetails.of(beans));
        }
        if (REDIS_PRESENT) {
            details.add(RedisDetails.of(beans));
        }
        return new RegionRouterEndpoint(router, details);
    }

    /** Kept apart so that it loads only where region-router-redis is present. */
    private static final class RedisDetails {
        static Function<Region, Map<String, Object>> of(BeanFactory beans) {
            return region -> {
                RegionalRedis<?> redis = beans.getBeanProvider(RegionalRedis.class).getIfAvailable();
                if (redis == null || !redis.stats().containsKey(region)) {
                    return Map.of();
                }
                return Map.of("redisPendingHints", redis.pendingHints(region.id()), "redisPendingHintBytes",
                        redis.pendingHintBytes(region.id()));
            };
        }
    }

    /** Kept apart so that it loads only where region-router-jdbc is present. */
    private static final class JdbcDetails {
        static Function<Region, Map<String, Object>> of(BeanFactory beans) {
            return region -> {
                RegionalDataSources dataSources = beans.getBeanProvider(RegionalDataSources.class).getIfAvailable();
                if (dataSources == null || !dataSources.regions().contains(region)) {
                    return Map.of();
                }
                return Map.of("postgresPoolEpoch", dataSources.epoch(region));
            };
        }
    }
}
