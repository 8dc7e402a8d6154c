package io.regionrouter.spring.boot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.Coordinator;
import io.regionrouter.jdbc.failover.CuratorCoordinator;
import io.regionrouter.jdbc.failover.Durability;
import io.regionrouter.jdbc.failover.FailoverAbortedEvent;
import io.regionrouter.jdbc.failover.FailoverCompletedEvent;
import io.regionrouter.jdbc.failover.FailoverFailedEvent;
import io.regionrouter.jdbc.failover.FailoverRefusedEvent;
import io.regionrouter.jdbc.failover.OldPrimaryReturnedEvent;
import io.regionrouter.jdbc.failover.PrimaryFollowedEvent;
import io.regionrouter.jdbc.failover.PrimaryHealthChangedEvent;
import io.regionrouter.jdbc.failover.WritesRefusedEvent;
import io.regionrouter.jdbc.failover.FailoverGroup;
import io.regionrouter.jdbc.failover.FailoverManager;
import io.regionrouter.jdbc.failover.FailoverReport;
import io.regionrouter.jdbc.failover.PgEndpoint;
import io.regionrouter.spring.boot.internal.FailoverGroupsConfigured;
import io.regionrouter.spring.boot.internal.InstanceNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * PostgreSQL failover when region-router-jdbc-failover is present and
 * {@code region-router.failover.groups.*} names a region's primary and standby: a
 * {@link FailoverManager} that follows every promotion, and promotes automatically only with a
 * ZooKeeper coordinator ({@code region-router.failover.zookeeper.connect-string}, Curator on the
 * classpath) or {@code region-router.failover.single-instance=true}.
 */
@AutoConfiguration(after = RegionRouterJdbcAutoConfiguration.class)
@ConditionalOnClass(FailoverManager.class)
@ConditionalOnBean(RegionalDataSources.class)
@Conditional(FailoverGroupsConfigured.class)
@EnableConfigurationProperties(RegionRouterFailoverProperties.class)
public class RegionRouterFailoverAutoConfiguration {

    /**
     * The failover manager: follows, and promotes when allowed.
     *
     * @param dataSources the regional data sources, whose pools it switches
     * @param properties the groups and the coordinator
     * @param jdbc the regions' pool settings, used for the promoted server's pool
     * @param topology the topology
     * @param coordinator the coordinator, if one is configured
     * @param listeners the application's event listeners
     * @return the running manager, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public FailoverManager failoverManager(RegionalDataSources dataSources, RegionRouterFailoverProperties properties,
            RegionRouterJdbcProperties jdbc, Topology topology, ObjectProvider<Coordinator> coordinator,
            ObjectProvider<RegionEventListener> listeners) {
        FailoverManager.Builder builder = FailoverManager.builder(dataSources)
                .instanceName(properties.getInstanceName() != null ? properties.getInstanceName() : InstanceNames.local());
        properties.getGroups().forEach((region, group) -> builder.group(group(topology.region(region), region, group, jdbc)));
        coordinator.ifAvailable(builder::coordinator);
        if (properties.isSingleInstance()) {
            builder.singleInstance();
        }
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }

    private static FailoverGroup group(Region region, String id, RegionRouterFailoverProperties.Group group,
            RegionRouterJdbcProperties jdbc) {
        RegionRouterJdbcProperties.Database app = jdbc.getRegions().get(id);
        if (app == null) {
            throw new InvalidConfigurationException("region-router.failover.groups." + id, id, "region-router.failover.groups." + id
                    + " needs region-router.jdbc.regions." + id + " (the application role's settings), but it is not configured");
        }
        return FailoverGroup.builder(region)
                .primary(endpoint(region, id, "primary", group.getPrimary()))
                .standby(endpoint(region, id, "standby", group.getStandby()))
                .primaryPool(RegionRouterJdbcAutoConfiguration.poolConfig(id, withUrl(app, group.getPrimary().getUrl())))
                .standbyPool(RegionRouterJdbcAutoConfiguration.poolConfig(id, withUrl(app, group.getStandby().getUrl())))
                .durability(durability(id, group.getDurability()))
                .build();
    }

    private static PgEndpoint endpoint(Region region, String id, String role, RegionRouterFailoverProperties.Server server) {
        String field = "region-router.failover.groups." + id + "." + role;
        if (server.getUrl() == null || server.getUsername() == null || server.getPassword() == null) {
            throw new InvalidConfigurationException(field, server, field + ".url, .username and .password must be set, but "
                    + (server.getUrl() == null ? "url" : server.getUsername() == null ? "username" : "password") + " was not");
        }
        String name = server.getName() != null ? server.getName() : id + "-" + role;
        PgEndpoint endpoint = new PgEndpoint(name, region, server.getUrl(), server.getUsername(), server.getPassword());
        return server.isAllowPlaintext() ? endpoint.allowingPlaintext() : endpoint;
    }

    private static RegionRouterJdbcProperties.Database withUrl(RegionRouterJdbcProperties.Database app, String url) {
        RegionRouterJdbcProperties.Database copy = new RegionRouterJdbcProperties.Database();
        copy.setUrl(url);
        copy.setUsername(app.getUsername());
        copy.setPassword(app.getPassword());
        copy.setMaximumPoolSize(app.getMaximumPoolSize());
        copy.setMinimumIdle(app.getMinimumIdle());
        copy.setConnectionTimeout(app.getConnectionTimeout());
        copy.setSocketTimeout(app.getSocketTimeout());
        copy.setAllowPlaintext(app.isAllowPlaintext());
        copy.setProperties(app.getProperties());
        return copy;
    }

    private static Durability durability(String id, String value) {
        try {
            return Durability.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException("region-router.failover.groups." + id + ".durability", value,
                    "region-router.failover.groups." + id + ".durability must be one of "
                            + Arrays.stream(Durability.values()).map(Enum::name).collect(Collectors.joining(", ")) + ", but was " + value);
        }
    }

    /**
     * {@code /actuator/health} → {@code failover} → each region: UP with the primary this instance
     * follows (server, timeline, epoch), DOWN while no primary is proven and the region's writes are
     * refused.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class FailoverHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "failoverHealthContributor")
        HealthContributor failoverHealthContributor(FailoverManager failover, RegionRouterFailoverProperties properties,
                Topology topology) {
            Map<String, HealthContributor> byRegion = new LinkedHashMap<>();
            for (String id : properties.getGroups().keySet()) {
                Region region = topology.region(id);
                byRegion.put(id, (HealthIndicator) () -> failover.primary(region)
                        .map(identity -> Health.up().withDetail("primary", failover.primaryServer(region).orElse("?"))
                                .withDetail("timeline", identity.timeline()).withDetail("epoch", identity.epoch())
                                .withDetail("automaticPromotion", failover.automaticPromotion()).build())
                        .orElseGet(() -> Health.down().withDetail("reason", "no primary is proven; the region's writes are refused")
                                .build()));
            }
            return CompositeHealthContributor.fromMap(byRegion);
        }
    }

    /** The ZooKeeper coordinator, when an ensemble is named and Curator is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CuratorFramework.class)
    @ConditionalOnProperty(prefix = "region-router.failover.zookeeper", name = "connect-string")
    static class ZookeeperConfiguration {

        @Bean(initMethod = "start", destroyMethod = "close")
        @ConditionalOnMissingBean
        CuratorFramework regionRouterCurator(RegionRouterFailoverProperties properties) {
            return CuratorFrameworkFactory.newClient(properties.getZookeeper().getConnectString(), new ExponentialBackoffRetry(100, 5));
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Coordinator.class)
        CuratorCoordinator regionRouterCoordinator(CuratorFramework curator, RegionRouterFailoverProperties properties) {
            CuratorCoordinator.Builder builder = CuratorCoordinator.builder(curator).basePath(properties.getZookeeper().getBasePath())
                    .instanceName(properties.getInstanceName() != null ? properties.getInstanceName() : InstanceNames.local());
            Duration lease = properties.getZookeeper().getLeaseDuration();
            if (lease != null) {
                builder.leaseDuration(lease);
            }
            return builder.build();
        }
    }

    /**
     * {@code regionrouter.failover.events} (region, type), {@code regionrouter.failover.promotions}
     * (region, trigger) and {@code regionrouter.failover.duration} (region, trigger, phase: detection,
     * promotion, first_write).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class FailoverMetricsConfiguration {

        @Bean
        RegionEventListener regionRouterFailoverMeters(ObjectProvider<MeterRegistry> registry) {
            return event -> registry.ifAvailable(meters -> count(meters, event));
        }

        private static void count(MeterRegistry meters, RegionEvent event) {
            if (!event.getClass().getPackageName().equals(FailoverManager.class.getPackageName())) {
                return;
            }
            String region = regionOf(event);
            Counter.builder("regionrouter.failover.events").tags("region", region, "type", event.getClass().getSimpleName())
                    .description("Failover events: promotions followed, completed, aborted, refused, failed").register(meters).increment();
            if (event instanceof FailoverCompletedEvent completed) {
                FailoverReport report = completed.report();
                String trigger = report.trigger().name().toLowerCase(Locale.ROOT);
                Counter.builder("regionrouter.failover.promotions").tags("region", region, "trigger", trigger).register(meters)
                        .increment();
                phase(meters, region, trigger, "detection", report.detection());
                phase(meters, region, trigger, "promotion", report.promotion());
                phase(meters, region, trigger, "first_write", report.firstWrite());
            }
        }

        private static void phase(MeterRegistry meters, String region, String trigger, String phase, Duration took) {
            Timer.builder("regionrouter.failover.duration").tags("region", region, "trigger", trigger, "phase", phase)
                    .description("How long each phase of a failover took").register(meters).record(took);
        }

        private static String regionOf(RegionEvent event) {
            Region region = null;
            if (event instanceof FailoverCompletedEvent e) {
                region = e.report().region();
            } else if (event instanceof FailoverAbortedEvent e) {
                region = e.region();
            } else if (event instanceof FailoverFailedEvent e) {
                region = e.region();
            } else if (event instanceof FailoverRefusedEvent e) {
                region = e.region();
            } else if (event instanceof OldPrimaryReturnedEvent e) {
                region = e.region();
            } else if (event instanceof PrimaryFollowedEvent e) {
                region = e.region();
            } else if (event instanceof PrimaryHealthChangedEvent e) {
                region = e.region();
            } else if (event instanceof WritesRefusedEvent e) {
                region = e.region();
            }
            return region == null ? "unknown" : region.id();
        }
    }
}
