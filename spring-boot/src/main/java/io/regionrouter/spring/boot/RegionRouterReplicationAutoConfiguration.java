package io.regionrouter.spring.boot;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.regionrouter.jdbc.replication.ReplicationLink;
import io.regionrouter.jdbc.replication.ReplicationMetrics;
import io.regionrouter.jdbc.replication.ReplicationMonitor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the application declares a {@link ReplicationMonitor} bean (replication plans are code, so
 * the starter does not build one): its lag, up and slot-retention gauges ({@link ReplicationMetrics})
 * and a {@code replication} health indicator, DOWN while any link is broken, with each link's lag.
 */
@AutoConfiguration(after = RegionRouterJdbcAutoConfiguration.class)
@ConditionalOnClass(ReplicationMonitor.class)
@ConditionalOnBean(ReplicationMonitor.class)
public class RegionRouterReplicationAutoConfiguration {

    /** The monitor's gauges. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class ReplicationMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReplicationMetrics replicationMetrics(ReplicationMonitor monitor) {
            return new ReplicationMetrics(monitor);
        }
    }

    /** The monitor's latest snapshot as health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class ReplicationHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "replicationHealthIndicator")
        HealthIndicator replicationHealthIndicator(ReplicationMonitor monitor) {
            return () -> {
                Map<String, Object> links = new LinkedHashMap<>();
                boolean allUp = true;
                for (ReplicationLink link : monitor.latest().links()) {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("source", link.source().id());
                    detail.put("target", link.target());
                    detail.put("up", link.up());
                    link.lag().ifPresent(lag -> detail.put("lagSeconds", lag.toMillis() / 1000.0));
                    if (link.problem() != null) {
                        detail.put("problem", link.problem());
                    }
                    links.put(link.name(), detail);
                    allUp &= link.up();
                }
                return (allUp ? Health.up() : Health.down()).withDetail("links", links).build();
            };
        }
    }
}
