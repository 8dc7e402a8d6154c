package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.redis.RegionalRedis;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's Redis and MongoDB side on real servers from the testkit. */
class RegionRouterStoresAutoConfigurationIT {

    static LocalRegions regions;

    @BeforeAll
    static void start() {
        regions = LocalRegions.builder().region("us", ServerKind.REDIS, ServerKind.MONGO).region("eu", ServerKind.REDIS, ServerKind.MONGO)
                .interRegionDelay(Duration.ZERO).build().start();
    }

    @AfterAll
    static void stop() {
        regions.close();
    }

    ApplicationContextRunner runner() {
        List<String> props = new ArrayList<>(List.of("region-router.regions=us,eu", "region-router.local=us",
                "region-router.residency.eu=eu", "region-router.directory.type=static", "region-router.directory.users.alice=eu",
                "region-router.redis.allow-plaintext=true", "region-router.redis.regulated=profile:", "region-router.redis.global=flag:",
                "region-router.mongo.database=app", "region-router.mongo.operation-timeout=7s",
                "region-router.mongo.server-selection-timeout=4s"));
        for (String r : List.of("us", "eu")) {
            props.add("region-router.redis.regions." + r + "=" + regions.region(r).redis().uri());
            props.add("region-router.mongo.regions." + r + "=" + regions.region(r).mongo().connectionString());
        }
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RegionRouterAutoConfiguration.class, RegionRouterStoresAutoConfiguration.class,
                        RegionRouterMetricsAutoConfiguration.class, RegionRouterEndpointAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues(props.toArray(String[]::new));
    }

    @Test
    void redisAndMongo_areConfigured_andWriteInTheHomeRegion() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(RegionalRedis.class).hasSingleBean(RegionalMongoClients.class);
            @SuppressWarnings("unchecked")
            RegionalRedis<String> redis = context.getBean(RegionalRedis.class);
            redis.forUser("alice").set("profile:alice", "A");
            assertThat(redis.readFrom("eu", "profile:alice")).isPresent();
            assertThat(redis.readFrom("us", "profile:alice")).isEmpty();

            RegionalMongoClients mongo = context.getBean(RegionalMongoClients.class);
            mongo.forUser("alice").getCollection("profiles").insertOne(new Document("_id", "alice").append("region", "eu"));
            assertThat(mongo.client(Region.of("eu")).getDatabase("app").getCollection("profiles").countDocuments(Filters.eq("_id", "alice")))
                    .isEqualTo(1);
            assertThat(mongo.client(Region.of("us")).getDatabase("app").getCollection("profiles").countDocuments()).isZero();
            // the properties arrive as one RegionalMongoConfig, and reach each region's driver settings
            assertThat(mongo.config().database()).contains("app");
            assertThat(mongo.config().operationTimeout()).contains(java.time.Duration.ofSeconds(7));
            assertThat(mongo.settings(Region.of("eu")).getTimeout(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(7000L);
            assertThat(mongo.settings(Region.of("eu")).getClusterSettings()
                    .getServerSelectionTimeout(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(4000L);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.find("mongodb.driver.commands").tags("region", "eu", "command", "insert").timer()).isNotNull();
        });
    }

    @Test
    void theirHealthProbes_registerPerRegion_andRedisHasMeters() {
        runner().run(context -> {
            RegionHealth health = context.getBean(RegionHealth.class);
            assertThat(health.states(Region.of("eu"))).containsKeys(Store.REDIS, Store.MONGO);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(meters));
            @SuppressWarnings("unchecked")
            RegionalRedis<String> redis = context.getBean(RegionalRedis.class);
            redis.set("flag:x", "1", io.regionrouter.redis.AckPolicy.ALL);
            assertThat(meters.get("regionrouter.redis.writes").tags("region", "eu", "result", "acked").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(meters.get("regionrouter.redis.bytes").tags("region", "eu", "stage", "raw").functionCounter().count())
                    .isPositive();
            assertThat(meters.get("regionrouter.redis.hints.pending").tag("region", "eu").gauge().value()).isZero();
            assertThat(meters.get("regionrouter.redis.rpo").tag("region", "eu").gauge().value()).as("eu is written immediately").isZero();
            Map<String, Object> routing = context.getBean(RegionRouterEndpoint.class).routing();
            assertThat(routing.toString()).contains("redisPendingHints=0");
        });
    }
}
