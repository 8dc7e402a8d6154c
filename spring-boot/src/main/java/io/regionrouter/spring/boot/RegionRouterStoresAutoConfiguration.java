package io.regionrouter.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.mongo.RegionalMongoConfig;
import io.regionrouter.redis.RegionStats;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.redis.RegionalRedisConfig;
import io.regionrouter.spring.boot.internal.StoreRegionsConfigured;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.mongodb.DefaultMongoCommandTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.DefaultMongoConnectionPoolTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.MongoCommandTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.MongoConnectionPoolTagsProvider;
import io.micrometer.core.instrument.binder.mongodb.MongoMetricsCommandListener;
import io.micrometer.core.instrument.binder.mongodb.MongoMetricsConnectionPoolListener;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Redis and MongoDB, each when its module is present and {@code region-router.<store>.regions.*}
 * names its servers. Their health probes register with the router's {@code RegionHealth}, so
 * {@code /actuator/health} shows them per region beside PostgreSQL.
 */
@AutoConfiguration(after = RegionRouterAutoConfiguration.class)
@ConditionalOnBean(RegionRouter.class)
public class RegionRouterStoresAutoConfiguration {

    /** Fan-out Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RegionalRedis.class)
    @Conditional(StoreRegionsConfigured.Redis.class)
    @EnableConfigurationProperties(RegionRouterRedisProperties.class)
    static class RedisConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RegionalRedis<String> regionalRedis(RegionRouter router, RegionRouterRedisProperties p) {
            RegionalRedisConfig.Builder config = RegionalRedisConfig.builder().allowPlaintext(p.isAllowPlaintext());
            p.getRegulated().forEach(config::regulated);
            p.getGlobal().forEach(config::global);
            if (p.getCommandTimeout() != null) {
                config.commandTimeout(p.getCommandTimeout());
            }
            if (p.getTombstoneTtl() != null) {
                config.tombstoneTtl(p.getTombstoneTtl());
            }
            if (p.getHintLogMaxLength() != null) {
                config.hintLogMaxLength(p.getHintLogMaxLength());
            }
            if (p.getHintLogMaxBytes() != null) {
                config.hintLogMaxBytes(p.getHintLogMaxBytes());
            }
            if (p.getTransferPricePerGb() != null) {
                config.transferPricePerGb(p.getTransferPricePerGb());
            }
            RegionalRedis.Builder<String> builder = RegionalRedis.builder(router).config(config.build());
            p.getRegions().forEach(builder::region);
            return builder.build();
        }

    }

    /**
     * Per target region: acknowledged and failed writes, hints queued, replayed, dropped, lost and pending, bytes and
     * cost, and the recovery point of a batched region.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RegionalRedis.class, MeterRegistry.class})
    static class RedisMetricsConfiguration {

        @Bean
        MeterBinder regionalRedisMeters(ObjectProvider<RegionalRedis<?>> redisBean, RegionRouter router) {
            return registry -> {
                RegionalRedis<?> redis = redisBean.getIfAvailable();
                if (redis == null) {
                    return;
                }
                for (Region region : router.topology().regions()) {
                    counter(registry, redis, region, "regionrouter.redis.writes", "result", "acked", RegionStats::writesAcked);
                    counter(registry, redis, region, "regionrouter.redis.writes", "result", "failed", RegionStats::writesFailed);
                    counter(registry, redis, region, "regionrouter.redis.hints", "event", "queued", RegionStats::hintsQueued);
                    counter(registry, redis, region, "regionrouter.redis.hints", "event", "replayed", RegionStats::hintsReplayed);
                    counter(registry, redis, region, "regionrouter.redis.hints", "event", "dropped", RegionStats::hintsDropped);
                    counter(registry, redis, region, "regionrouter.redis.hints", "event", "lost", RegionStats::hintsLost);
                    counter(registry, redis, region, "regionrouter.redis.bytes", "stage", "raw", RegionStats::rawBytes);
                    counter(registry, redis, region, "regionrouter.redis.bytes", "stage", "sent", RegionStats::sentBytes);
                    Gauge.builder("regionrouter.redis.transfer.cost", redis, r -> read(r, region, RegionStats::estimatedTransferCost))
                            .tag("region", region.id()).description("Estimated cost of the bytes sent to the region").register(registry);
                    Gauge.builder("regionrouter.redis.hints.pending", redis, r -> r.pendingHints(region.id())).tag("region", region.id())
                            .description("Writes kept for the region until it takes them").register(registry);
                    Gauge.builder("regionrouter.redis.rpo", redis, r -> r.rpo(region.id()).toNanos() / 1e9).tag("region", region.id())
                            .baseUnit("seconds").description("Age of the oldest write not yet shipped to a batched region;"
                                    + " 0 when nothing waits or the region is written immediately").register(registry);
                }
            };
        }

        private static void counter(MeterRegistry registry, RegionalRedis<?> redis, Region region, String name, String tag,
                String value, ToDoubleFunction<RegionStats> stat) {
            FunctionCounter.builder(name, redis, r -> read(r, region, stat)).tags("region", region.id(), tag, value).register(registry);
        }

        private static double read(RegionalRedis<?> redis, Region region, ToDoubleFunction<RegionStats> stat) {
            RegionStats stats = redis.stats().get(region);
            return stats == null ? 0 : stat.applyAsDouble(stats);
        }
    }

    /**
     * MongoDB command and connection-pool meters per region, through Micrometer's listeners:
     * {@code mongodb.driver.commands} and {@code mongodb.driver.pool.*}, each with a {@code region} tag.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RegionalMongoClients.class, MongoMetricsCommandListener.class})
    static class MongoMetricsConfiguration {

        @Bean
        RegionalMongoSettingsCustomizer regionalMongoMeters(ObjectProvider<MeterRegistry> registry) {
            return (region, settings) -> registry.ifAvailable(meters -> {
                Tag tag = Tag.of("region", region.id());
                MongoCommandTagsProvider commandTags = new DefaultMongoCommandTagsProvider();
                MongoConnectionPoolTagsProvider poolTags = new DefaultMongoConnectionPoolTagsProvider();
                settings.addCommandListener(new MongoMetricsCommandListener(meters,
                        event -> Tags.concat(commandTags.commandTags(event), List.of(tag))));
                settings.applyToConnectionPoolSettings(pool -> pool.addConnectionPoolListener(new MongoMetricsConnectionPoolListener(meters,
                        event -> Tags.concat(poolTags.connectionPoolTags(event), List.of(tag)))));
            });
        }
    }

    /** Per-region MongoDB clients. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RegionalMongoClients.class)
    @Conditional(StoreRegionsConfigured.Mongo.class)
    @EnableConfigurationProperties(RegionRouterMongoProperties.class)
    static class MongoConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RegionalMongoClients regionalMongoClients(RegionRouter router, RegionRouterMongoProperties p,
                ObjectProvider<RegionalMongoSettingsCustomizer> customizers) {
            RegionalMongoClients.Builder builder = RegionalMongoClients.builder(router);
            List<RegionalMongoSettingsCustomizer> all = customizers.orderedStream().toList();
            builder.settings((region, settings) -> all.forEach(c -> c.customize(region, settings)));
            p.getRegions().forEach(builder::region);
            return builder.config(config(p)).build();
        }

        /** The properties that are set, over the library's defaults; an invalid one fails naming the setting. */
        static RegionalMongoConfig config(RegionRouterMongoProperties p) {
            RegionalMongoConfig.Builder config = RegionalMongoConfig.builder();
            if (p.getDatabase() != null) {
                config.database(p.getDatabase());
            }
            if (p.getRegionField() != null) {
                config.regionField(p.getRegionField());
            }
            if (p.getServerSelectionTimeout() != null) {
                config.serverSelectionTimeout(p.getServerSelectionTimeout());
            }
            if (p.getOperationTimeout() != null) {
                config.operationTimeout(p.getOperationTimeout());
            }
            return config.build();
        }
    }
}
