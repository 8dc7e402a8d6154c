package io.regionrouter.mongo;

import com.mongodb.ReadPreference;
import com.mongodb.Tag;
import com.mongodb.TagSet;
import com.mongodb.WriteConcern;
import com.mongodb.event.ClusterClosedEvent;
import com.mongodb.event.ClusterListener;
import com.mongodb.event.ClusterOpeningEvent;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration of {@link RegionalMongoClients}; the driver connects lazily, so no server is needed. */
class RegionalMongoClientsTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final RegionRouter ROUTER = RegionRouter.builder(
            Topology.builder().regions("us", "eu").local("eu").primary("us").build()).build();

    private static RegionalMongoClients.Builder builder() {
        return RegionalMongoClients.builder(ROUTER).healthProbes(false);
    }

    @Test
    void defaults_nearestWithLocalTagFirst_majorityJournaledWrites_shortSelectionTimeout_appName() {
        try (RegionalMongoClients clients = builder().region("us", "mongodb://127.0.0.1:1")
                .config(RegionalMongoConfig.builder().database("app").build()).build()) {
            var settings = clients.settings(US);

            assertThat(settings.getReadPreference()).isEqualTo(ReadPreference.nearest(
                    List.of(new TagSet(new Tag("region", "eu")), new TagSet())));
            assertThat(settings.getWriteConcern()).isEqualTo(new WriteConcern("majority").withJournal(true)
                    .withWTimeout(5000, TimeUnit.MILLISECONDS));
            assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(5000);
            assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(5000);
            assertThat(settings.getTimeout(TimeUnit.MILLISECONDS)).isEqualTo(10_000L);
            assertThat(settings.getApplicationName()).isEqualTo("region-router");
            assertThat(clients.databaseName(US)).isEqualTo("app");
        }
    }

    @Test
    void config_reachesEveryRegionsClient_andWinsOverTheConnectionString() {
        RegionalMongoConfig config = RegionalMongoConfig.builder().database("billing").regionField("home")
                .readPreference(ReadPreference.primaryPreferred()).writeConcern(WriteConcern.W2)
                .serverSelectionTimeout(Duration.ofMillis(1500)).connectTimeout(Duration.ofMillis(700))
                .operationTimeout(Duration.ofSeconds(3)).applicationName("billing").moveFences(true).build();
        try (RegionalMongoClients clients = builder()
                .region("us", "mongodb://127.0.0.1:1/fromuri?appName=uri&serverSelectionTimeoutMS=7000&w=1"
                        + "&timeoutMS=9000&connectTimeoutMS=9000&readPreference=primary")
                .region("eu", "mongodb://127.0.0.1:2")
                .config(config)
                .build()) {
            for (Region region : List.of(US, EU)) {
                var settings = clients.settings(region);
                assertThat(settings.getReadPreference()).as(region + " read preference").isEqualTo(ReadPreference.primaryPreferred());
                assertThat(settings.getWriteConcern()).as(region + " write concern").isEqualTo(WriteConcern.W2);
                assertThat(settings.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(1500);
                assertThat(settings.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(700);
                assertThat(settings.getTimeout(TimeUnit.MILLISECONDS)).isEqualTo(3000L);
                assertThat(settings.getApplicationName()).isEqualTo("billing");
                assertThat(clients.databaseName(region)).isEqualTo("billing");
            }
            assertThat(clients.config()).isSameAs(config);
            assertThat(clients.regionField()).isEqualTo("home");
            // the region field reaches the guard of every database handed out: by "home" this document
            // belongs to eu, so us refuses it before anything is sent
            assertThatThrownBy(() -> clients.forRegion(US).getCollection("profiles")
                    .insertOne(new org.bson.Document("home", "eu").append("region", "us")))
                    .isInstanceOf(DocumentResidencyException.class)
                    .satisfies(e -> assertThat(((DocumentResidencyException) e).field()).isEqualTo("home"));
        }
    }

    @Test
    void theSettingsCustomizer_runsAfterTheConfig_andHasTheLastWord() {
        try (RegionalMongoClients clients = builder().region("us", "mongodb://127.0.0.1:1/app")
                .settings((region, s) -> s.applicationName("billing-" + region).writeConcern(WriteConcern.W3))
                .config(RegionalMongoConfig.builder().applicationName("billing").writeConcern(WriteConcern.W2).build())
                .build()) {
            assertThat(clients.settings(US).getApplicationName()).isEqualTo("billing-us");
            assertThat(clients.settings(US).getWriteConcern()).isEqualTo(WriteConcern.W3);
        }
    }

    @Test
    void configDefaults_stillGiveWayToTheConnectionString() {
        try (RegionalMongoClients clients = builder()
                .region("us", "mongodb://127.0.0.1:1/app?appName=uri&serverSelectionTimeoutMS=7000&w=1&timeoutMS=9000")
                .config(RegionalMongoConfig.builder().connectTimeout(Duration.ofMillis(700)).build()).build()) {
            var us = clients.settings(US);

            assertThat(us.getApplicationName()).isEqualTo("uri");
            assertThat(us.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(7000);
            assertThat(us.getWriteConcern()).isEqualTo(WriteConcern.W1);
            assertThat(us.getTimeout(TimeUnit.MILLISECONDS)).isEqualTo(9000L);
            assertThat(us.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(700);
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void perSettingCall_overridesThatSettingOfTheConfig_whicheverCameFirst() {
        RegionalMongoConfig config = RegionalMongoConfig.builder().database("app").writeConcern(WriteConcern.W1)
                .applicationName("from-config").build();
        try (RegionalMongoClients before = builder().region("us", "mongodb://127.0.0.1:1")
                     .writeConcern(WriteConcern.W2).config(config).build();
             RegionalMongoClients after = builder().region("us", "mongodb://127.0.0.1:1")
                     .config(config).writeConcern(WriteConcern.W2).build();
             RegionalMongoClients twice = builder().region("us", "mongodb://127.0.0.1:1")
                     .writeConcern(WriteConcern.W2).config(config).writeConcern(WriteConcern.W3).build()) {
            for (RegionalMongoClients clients : List.of(before, after)) {
                assertThat(clients.settings(US).getWriteConcern()).isEqualTo(WriteConcern.W2);
                assertThat(clients.config().writeConcern()).isEqualTo(WriteConcern.W2);
                // the configuration's other settings stay
                assertThat(clients.settings(US).getApplicationName()).isEqualTo("from-config");
                assertThat(clients.databaseName(US)).isEqualTo("app");
            }
            assertThat(twice.settings(US).getWriteConcern()).as("the later call of one method wins").isEqualTo(WriteConcern.W3);
            assertThat(config.writeConcern()).as("the given configuration is left alone").isEqualTo(WriteConcern.W1);
        }
    }

    @Test
    void config_null_failsNamingTheField() {
        assertThatThrownBy(() -> builder().config(null)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("config must not be null, but was null");
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedPerSettingMethods_stillApply_andWinOverConnectionString() {
        try (RegionalMongoClients clients = builder()
                .region("us", "mongodb://127.0.0.1:1/fromuri?appName=uri&serverSelectionTimeoutMS=7000&w=1")
                .region("eu", "mongodb://127.0.0.1:2/fromuri?appName=uri")
                .regionTag("dc")
                .readPreference(ReadPreference.primaryPreferred())
                .writeConcern(WriteConcern.W2)
                .serverSelectionTimeout(Duration.ofMillis(1500))
                .connectTimeout(Duration.ofMillis(700))
                .operationTimeout(null)
                .applicationName("billing")
                .settings((region, s) -> s.applicationName("billing-" + region))
                .build()) {
            var us = clients.settings(US);

            assertThat(us.getReadPreference()).isEqualTo(ReadPreference.primaryPreferred());
            assertThat(us.getWriteConcern()).isEqualTo(WriteConcern.W2);
            assertThat(us.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(1500);
            assertThat(us.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS)).isEqualTo(700);
            assertThat(us.getTimeout(TimeUnit.MILLISECONDS)).isNull();
            assertThat(us.getApplicationName()).isEqualTo("billing-us");
            assertThat(clients.databaseName(EU)).isEqualTo("fromuri");
        }
    }

    @Test
    void connectionStringOptions_overrideDefaults() {
        try (RegionalMongoClients clients = builder().region("us",
                "mongodb://127.0.0.1:1/app?appName=uri&serverSelectionTimeoutMS=7000&w=1&readPreference=primary").build()) {
            var us = clients.settings(US);

            assertThat(us.getApplicationName()).isEqualTo("uri");
            assertThat(us.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS)).isEqualTo(7000);
            assertThat(us.getWriteConcern()).isEqualTo(WriteConcern.W1);
            assertThat(us.getReadPreference()).isEqualTo(ReadPreference.primary());
        }
    }

    @Test
    void defaultReadPreference_usesTheConfiguredTagName() {
        try (RegionalMongoClients clients = builder().region("us", "mongodb://127.0.0.1:1/app")
                .config(RegionalMongoConfig.builder().regionTag("dc").build()).build()) {
            assertThat(clients.settings(US).getReadPreference()).isEqualTo(ReadPreference.nearest(
                    List.of(new TagSet(new Tag("dc", "eu")), new TagSet())));
        }
    }

    @Test
    void build_unknownRegion_failsNamingTheField() {
        assertThatThrownBy(() -> builder().region("mars", "mongodb://h/app").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("clusters must name regions of the topology [us, eu], but was \"mars\"")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("clusters"));
    }

    @Test
    void build_invalidUri_failsNamingTheField_withoutEchoingThePassword() {
        assertThatThrownBy(() -> builder().region("eu", "mongodb://app:hunter2@127.0.0.1:notaport/app").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("clusters.eu.connectionString must be a valid MongoDB connection string")
                .hasMessageContaining("app:****@")
                .satisfies(e -> {
                    var ice = (InvalidConfigurationException) e;
                    assertThat(ice.field()).isEqualTo("clusters.eu.connectionString");
                    assertThat(ice.value()).doesNotContain("hunter2");
                    assertThat(String.valueOf(e.getMessage())).doesNotContain("hunter2");
                    assertThat(e.getCause()).as("a scrubbed copy of the driver's exception")
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("java.lang.IllegalArgumentException: The connection string contains"
                                    + " an invalid host and port");
                });
        assertThatThrownBy(() -> builder().region("eu", "http://h").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("clusters.eu.connectionString");
    }

    @Test
    void build_invalidUri_withUnescapedSlashOrQuestionMarkInPassword_doesNotEchoThePassword() {
        for (String uri : List.of("mongodb://app:hun/ter2x@127.0.0.1/app", "mongodb://app:hun?ter2x@127.0.0.1/app")) {
            assertThatThrownBy(() -> builder().region("eu", uri).build())
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("clusters.eu.connectionString")
                    .satisfies(e -> {
                        var ice = (InvalidConfigurationException) e;
                        assertThat(String.valueOf(ice.value())).doesNotContain("ter2x");
                        assertThat(String.valueOf(e.getMessage())).doesNotContain("ter2x").doesNotContain(":hun");
                    });
        }
    }

    /** Every URI form, malformed or not: the password is in no message of the cause chain, nor in its toString. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # connection string                               | the secret
            mongodb:/app:hunter2@127.0.0.1/app                | hunter2
            mongodb//app:hunter2@127.0.0.1/app                | hunter2
            mongodb:app:hunter2@127.0.0.1/app                 | hunter2
            mongodb:///app:hunter2@127.0.0.1/app              | hunter2
            mongodb+srv:app:hunter2@cluster.example/app       | hunter2
            mongodb+srv:/app:hunter2@cluster.example/app      | hunter2
            mongodb+srv//app:hunter2@cluster.example/app      | hunter2
            mongodb+srv://app:hunter2@cluster.example:1/app   | hunter2
            mongodb+srv://app:hun@ter2x@cluster.example/app   | hun@ter2x
            mongodb+srv:app:hun@ter2x@cluster.example/app     | hun@ter2x
            mongodb:/app:hun@ter2x@127.0.0.1/app              | hun@ter2x
            mongodb://app:hun@ter2x@127.0.0.1/app             | hun@ter2x
            MONGODB://app:hunter2@127.0.0.1/app               | hunter2
            `  mongodb://app:hunter2@127.0.0.1/app`           | hunter2
            mongodb://app:hunter2@127.0.0.1:notaport/app      | hunter2
            mongodb://app:hunter2@/app                        | hunter2
            mongodb://app:hun/ter2x@127.0.0.1/app             | hun/ter2x
            mongodb://app:hun?ter2x@127.0.0.1/app             | hun?ter2x
            mongodb://app:hun%ZZter2x@127.0.0.1/app           | hun%ZZter2x
            mongodb://app:hunter2@127.0.0.1/app?authMechanism=BOGUS | hunter2
            mongodb://app:hunter2/app                         | hunter2
            mongodb://app:hunter2                             | hunter2
            mongodb+srv://app:hunter2/app                     | hunter2
            mongodb://127.0.0.1/app?tlsCertificateKeyFilePassword=hunter2&w=bogus&uuidRepresentation=x | hunter2
            """)
    void build_malformedUri_neverEchoesThePassword_inAnyMessageOfTheCauseChain(String uri, String secret) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> builder().region("eu", uri).build());
        assertThat(thrown).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("clusters.eu.connectionString");
        assertThat(((InvalidConfigurationException) thrown).value()).doesNotContain(secret);
        java.util.Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as("message of " + t.getClass().getName()).doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
            for (Throwable suppressed : t.getSuppressed()) {
                assertThat(suppressed.toString()).doesNotContain(secret);
            }
            for (String piece : secret.split("[/?@%]")) {
                if (piece.length() >= 3) {
                    assertThat(String.valueOf(t.getMessage())).as("a piece of the password").doesNotContain(piece);
                }
            }
        }
        assertThat(seen).as("the driver's exception is kept, scrubbed").hasSizeGreaterThan(1);
    }

    /** Well-formed strings with passwords: toString and the log line of each client are masked. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            mongodb://app:hunter2@127.0.0.1:1/app                       | hunter2
            mongodb://app:hun%40ter2%3Ax@127.0.0.1:1/app                | hun%40ter2%3Ax
            mongodb://app:hunter2@127.0.0.1:1,127.0.0.1:2/app?replicaSet=rs&tlsCertificateKeyFilePassword=hunter3 | hunter
            """)
    void toStringAndLogLines_maskEveryWellFormedUri(String uri, String secret) {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        String text;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (RegionalMongoClients clients = builder().region("us", uri).build()) {
            text = clients.toString();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("us=mongodb://app:****@127.0.0.1:1").doesNotContain(secret).doesNotContain("hun@ter2");
        assertThat(log).as("log lines").contains("MongoDB client for region us: mongodb://app:****@")
                .doesNotContain(secret).doesNotContain("hun@ter2");
    }

    @Test
    @SuppressWarnings("deprecation")
    void build_otherMistakes_failNamingTheField() {
        assertThatThrownBy(() -> builder().build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("clusters must configure at least one region");
        assertThatThrownBy(() -> builder().region("us", "mongodb://h").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("database must be set");
        assertThatThrownBy(() -> builder().region("us", "mongodb://h").region("us", "mongodb://h"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("clusters.us");
        assertThatThrownBy(() -> builder().serverSelectionTimeout(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("serverSelectionTimeout must be > 0, but was PT0S");
        assertThatThrownBy(() -> builder().applicationName("x".repeat(129)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("applicationName must be at most 128 bytes");
        assertThatThrownBy(() -> builder().regionField("meta.region"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("regionField must be a top-level");
        assertThatThrownBy(() -> builder().database("a.b"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("database must be");
    }

    @Test
    void toString_masksCredentials() {
        try (RegionalMongoClients clients = builder().region("us", "mongodb://app:hunter2@127.0.0.1:1/app").build()) {
            assertThat(clients.toString()).contains("us=mongodb://app:****@127.0.0.1:1/app").doesNotContain("hunter2");
        }
    }

    @Test
    void regionWithoutCluster_isUnavailable() {
        try (RegionalMongoClients clients = builder().region("us", "mongodb://127.0.0.1:1/app").build()) {
            assertThatThrownBy(() -> clients.forRegion(EU)).isInstanceOf(RegionUnavailableException.class)
                    .hasMessageContaining("no MongoDB cluster is configured for region eu");
        }
    }

    @Test
    void store_defaultsToMongo_andProbesRegisterUnderTheNamedStore() {
        Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
        try (RegionHealth health = RegionHealth.builder().build()) {
            RegionRouter router = RegionRouter.builder(topology).health(health).build();
            try (RegionalMongoClients defaults = RegionalMongoClients.builder(router)
                    .region("us", "mongodb://127.0.0.1:1/app").build();
                 RegionalMongoClients events = RegionalMongoClients.builder(router).store(Store.of("mongo-events"))
                         .region("us", "mongodb://127.0.0.1:1/app").build()) {

                assertThat(defaults.store()).isEqualTo(Store.MONGO);
                assertThat(events.store()).isEqualTo(Store.of("mongo-events"));
                assertThat(health.states(US)).containsOnlyKeys(Store.MONGO, Store.of("mongo-events"));
            }
            // closing unregisters each instance's probes from its own store
            assertThat(health.states(US)).isEmpty();
        }
    }

    @Test
    void forRegion_whileTheRegionIsDown_refusesEveryCall_withoutTouchingTheNetwork() {
        Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
        try (RegionHealth health = RegionHealth.builder()
                .config(io.regionrouter.core.HealthConfig.builder().failureThreshold(1).minimumCalls(1).build()).build()) {
            RegionRouter router = RegionRouter.builder(topology).health(health).build();
            try (RegionalMongoClients clients = RegionalMongoClients.builder(router)
                    .region("us", "mongodb://127.0.0.1:1/app").region("eu", "mongodb://127.0.0.1:1/app")
                    .config(RegionalMongoConfig.builder().serverSelectionTimeout(Duration.ofSeconds(30)).build()).build()) {
                health.recordFailure(EU, Store.MONGO, new java.io.IOException("eu went dark"));

                // with a 30 s server selection, only a refusal before the network can end this call at once
                assertThatThrownBy(() -> clients.forRegion(EU).getCollection("profiles").countDocuments())
                        .isInstanceOf(RegionUnavailableException.class)
                        .hasMessageContaining("region eu is DOWN for MongoDB and was named explicitly");
                assertThatThrownBy(() -> clients.forRegion(EU).getCollection("profiles")
                        .insertOne(new org.bson.Document("region", "eu")))
                        .isInstanceOf(RegionUnavailableException.class);
            }
        }
    }

    @Test
    void store_null_failsNamingTheField() {
        assertThatThrownBy(() -> builder().store(null))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("store must not be null, but was null")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("store"));
    }

    @Test
    @SuppressWarnings("deprecation")
    void operationTimeout_mustBePositive_orNullToDisable() {
        assertThatThrownBy(() -> builder().operationTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("operationTimeout must be > 0, but was PT-0.001S");
        assertThatThrownBy(() -> builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("connectTimeout must be > 0, but was PT0S");
    }

    @Test
    void build_whenRegisteringAProbeFails_closesEveryClient_andLeavesNoProbe() throws InterruptedException {
        Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
        RegionHealth closed = RegionHealth.builder().build();
        closed.close(); // register() now throws
        RegionRouter router = RegionRouter.builder(topology).health(closed).build();
        AtomicInteger opened = new AtomicInteger();
        // the driver delivers cluster events on a thread of its own
        CountDownLatch closedClients = new CountDownLatch(2);
        ClusterListener counter = new ClusterListener() {
            @Override
            public void clusterOpening(ClusterOpeningEvent event) {
                opened.incrementAndGet();
            }

            @Override
            public void clusterClosed(ClusterClosedEvent event) {
                closedClients.countDown();
            }
        };

        assertThatThrownBy(() -> RegionalMongoClients.builder(router)
                .region("us", "mongodb://127.0.0.1:1/app").region("eu", "mongodb://127.0.0.1:2/app")
                .settings((region, s) -> s.applyToClusterSettings(c -> c.addClusterListener(counter)))
                .build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RegionHealth is closed");

        assertThat(closedClients.await(5, TimeUnit.SECONDS)).as("both clients closed within 5 s").isTrue();
        assertThat(opened.get()).isEqualTo(2);
        assertThat(closed.states(US)).isEmpty();
        assertThat(closed.states(EU)).isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation")
    void timeouts_haveUpperBounds_namingFieldAndValue() {
        RegionalMongoClients.Builder b = RegionalMongoClients.builder(RegionRouter.builder(
                io.regionrouter.core.Topology.builder().regions("eu").local("eu").primary("eu").build()).build());
        assertThatThrownBy(() -> b.serverSelectionTimeout(java.time.Duration.ofSeconds(3_000_000_000L)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("serverSelectionTimeout must be <= PT10M, but was PT833333H20M");
        assertThatThrownBy(() -> b.connectTimeout(java.time.Duration.ofHours(1)))
                .hasMessage("connectTimeout must be <= PT5M, but was PT1H");
        assertThatThrownBy(() -> b.operationTimeout(java.time.Duration.ofDays(2)))
                .hasMessage("operationTimeout must be <= PT1H, but was PT48H");
    }
}
