package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;

/** Delay, partition, refuse, kill and restart act on real traffic. */
class FaultsIT {

    private static final Duration ONE_WAY = Duration.ofMillis(40);

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO)
            .region("eu", ServerKind.REDIS)
            .interRegionDelay(ONE_WAY)
            .build();

    @AfterEach
    void reset() {
        REGIONS.resetFaults();
    }

    @Test
    void delay_addsTwiceTheOneWayDelayToARedisRoundTrip() throws Exception {
        RedisServer redis = REGIONS.region("us").redis();
        RedisClient client = Clients.redis(redis, Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            double base = RoundTrips.medianMillis(15, () -> c.sync().ping());
            redis.delay(ONE_WAY);
            double delayed = RoundTrips.medianMillis(15, () -> c.sync().ping());
            redis.delay(Duration.ZERO);
            double removed = RoundTrips.medianMillis(15, () -> c.sync().ping());
            System.out.printf("redis PING median: %.1f ms without delay, %.1f ms with 40 ms one way, %.1f ms after removal%n",
                    base, delayed, removed);
            assertThat(delayed - base).isGreaterThanOrEqualTo(60.0);
            assertThat(removed).isLessThan(delayed - 60.0);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void delay_addsTwiceTheOneWayDelayToAPostgresRoundTrip() throws Exception {
        PostgresServer pg = REGIONS.region("us").postgres();
        try (Connection c = Clients.connect(pg.jdbcUrl(), pg.appUser(), pg.appPassword(), 5);
                Statement s = c.createStatement()) {
            RoundTrips.Call select1 = () -> {
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
            };
            double base = RoundTrips.medianMillis(15, select1);
            pg.delay(ONE_WAY);
            double delayed = RoundTrips.medianMillis(15, select1);
            System.out.printf("postgres SELECT 1 median: %.1f ms without delay, %.1f ms with 40 ms one way%n",
                    base, delayed);
            assertThat(delayed - base).isGreaterThanOrEqualTo(60.0);
        }
    }

    @Test
    void viewFrom_delaysOnlyTheOtherRegions() throws Exception {
        REGIONS.viewFrom("eu");
        assertThat(REGIONS.region("eu").redis().currentDelay()).isEqualTo(Duration.ZERO);
        assertThat(REGIONS.region("us").redis().currentDelay()).isEqualTo(ONE_WAY);
        assertThat(REGIONS.region("us").postgres().currentDelay()).isEqualTo(ONE_WAY);
        RedisClient near = Clients.redis(REGIONS.region("eu").redis(), Duration.ofSeconds(5));
        RedisClient far = Clients.redis(REGIONS.region("us").redis(), Duration.ofSeconds(5));
        try (StatefulRedisConnection<String, String> n = near.connect();
                StatefulRedisConnection<String, String> f = far.connect()) {
            double nearMs = RoundTrips.medianMillis(9, () -> n.sync().ping());
            double farMs = RoundTrips.medianMillis(9, () -> f.sync().ping());
            System.out.printf("viewFrom(eu): PING eu %.1f ms, us %.1f ms%n", nearMs, farMs);
            assertThat(farMs - nearMs).isGreaterThanOrEqualTo(60.0);
        } finally {
            near.shutdown();
            far.shutdown();
        }
        REGIONS.viewFrom("us");
        assertThat(REGIONS.region("eu").redis().currentDelay()).isEqualTo(ONE_WAY);
        assertThat(REGIONS.region("us").redis().currentDelay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void partition_makesARedisCallTimeOutAndHealRestoresIt() {
        RedisServer redis = REGIONS.region("us").redis();
        RedisClient client = Clients.redis(redis, Duration.ofSeconds(1));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("before", "1");
            redis.partition();
            assertThat(redis.isPartitioned()).isTrue();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.sync().get("before")).isInstanceOf(RedisCommandTimeoutException.class);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(waitedMs).isBetween(900L, 10_000L);
            redis.heal();
            assertThat(redis.isPartitioned()).isFalse();
            // the frozen bytes flow after the heal; the connection is still usable
            assertThat(c.sync().get("before")).isEqualTo("1");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void partition_makesAPostgresQueryTimeOut() throws SQLException {
        PostgresServer pg = REGIONS.region("us").postgres();
        try (Connection c = Clients.app(pg); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            REGIONS.region("us").partition();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(waitedMs).isBetween(900L, 10_000L);
        }
        // a new connection hangs too: the TCP handshake completes but nothing is served
        assertThatThrownBy(() -> Clients.app(pg).close()).isInstanceOf(SQLException.class);
        REGIONS.region("us").heal();
        try (Connection c = Clients.app(pg); Statement s = c.createStatement()) {
            assertThat(s.execute("SELECT 1")).isTrue();
        }
    }

    @Test
    void refuse_makesConnectsFailFastAndHealReopens() throws SQLException {
        PostgresServer pg = REGIONS.region("us").postgres();
        pg.refuse();
        assertThat(pg.isRefusing()).isTrue();
        long t0 = System.nanoTime();
        // 10 s connect timeout: only a refused connection can fail well before it
        assertThatThrownBy(() -> Clients.connect(pg.jdbcUrl(), pg.appUser(), pg.appPassword(), 10).close())
                .isInstanceOf(SQLException.class)
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000L);
        pg.heal();
        assertThat(pg.isRefusing()).isFalse();
        try (Connection c = Clients.app(pg); Statement s = c.createStatement()) {
            assertThat(s.execute("SELECT 1")).isTrue();
        }
    }

    @Test
    void killAndRestart_postgresKeepsCommittedRows() throws SQLException {
        PostgresServer pg = REGIONS.region("us").postgres();
        try (Connection c = Clients.superuser(pg); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kept (id int PRIMARY KEY)");
            s.execute("INSERT INTO kept VALUES (7) ON CONFLICT DO NOTHING");
        }
        try (Connection c = Clients.app(pg); Statement s = c.createStatement()) {
            pg.kill();
            assertThat(pg.isRunning()).isFalse();
            assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> Clients.app(pg).close()).isInstanceOf(SQLException.class);
        pg.restart();
        assertThat(pg.isRunning()).isTrue();
        try (Connection c = Clients.app(pg); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM kept WHERE id = 7")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void killAndRestart_redis() {
        RedisServer redis = REGIONS.region("eu").redis();
        RedisClient client = Clients.redis(redis, Duration.ofSeconds(1));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("gone", "soon");
            redis.kill();
            assertThatThrownBy(() -> c.sync().ping()).isInstanceOf(RedisException.class);
            redis.restart();
            String pong = null;
            for (int i = 0; i < 50 && pong == null; i++) { // bounded: Lettuce reconnects in the background
                try {
                    pong = c.sync().ping();
                } catch (RedisException e) {
                    sleep(100);
                }
            }
            assertThat(pong).isEqualTo("PONG");
            assertThat(c.sync().get("gone")).as("nothing persists across a kill").isNull();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void restart_whileRunning_keepsTheProxyPortAndServes() {
        RedisServer redis = REGIONS.region("us").redis();
        int proxyPort = redis.port();
        int directPort = redis.directPort();
        redis.restart();
        assertThat(redis.isRunning()).isTrue();
        assertThat(redis.port()).isEqualTo(proxyPort);
        assertThat(redis.directPort()).isEqualTo(directPort);
        RedisClient client = Clients.redis(redis, Duration.ofSeconds(2));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void killAndRestart_mongoLosesItsData() {
        MongoServer mongo = REGIONS.region("us").mongo();
        try (MongoClient client = Clients.mongo(mongo)) {
            MongoCollection<Document> col = client.getDatabase("app").getCollection("things");
            col.insertOne(new Document("_id", 1));
            mongo.kill();
            assertThatThrownBy(() -> col.find().first()).isInstanceOf(MongoException.class);
            mongo.restart();
            Long count = null;
            for (int i = 0; i < 50 && count == null; i++) { // bounded: the driver rediscovers the server
                try {
                    count = col.countDocuments();
                } catch (MongoException e) {
                    sleep(100);
                }
            }
            assertThat(count).isZero();
            col.insertOne(new Document("_id", 2));
            assertThat(col.countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void resetFaults_restartsHealsAndRemovesDelays() {
        LocalRegion us = REGIONS.region("us");
        us.delay(ONE_WAY);
        us.partition();
        us.redis().kill();
        REGIONS.resetFaults();
        for (ProxiedServer s : us.servers()) {
            assertThat(s.isRunning()).as(s.name()).isTrue();
            assertThat(s.isPartitioned()).as(s.name()).isFalse();
            assertThat(s.currentDelay()).as(s.name()).isEqualTo(Duration.ZERO);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
