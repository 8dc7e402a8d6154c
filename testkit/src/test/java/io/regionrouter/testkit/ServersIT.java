package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/** Every kind of server really starts and accepts work through its proxy. */
class ServersIT {

    @RegisterExtension
    static final LocalRegions REGIONS = LocalRegions.builder()
            .region("us", ServerKind.POSTGRES, ServerKind.REDIS, ServerKind.MONGO)
            .region("eu", ServerKind.POSTGRES, ServerKind.REDIS)
            .build();

    @Test
    void regions_areListedInDeclarationOrder() {
        assertThat(REGIONS.names()).containsExactly("us", "eu");
        assertThat(REGIONS.region("eu").kinds()).containsExactlyInAnyOrder(ServerKind.POSTGRES, ServerKind.REDIS);
    }

    @Test
    void postgres_answersThroughItsProxy() throws SQLException {
        PostgresServer pg = REGIONS.region("us").postgres();
        assertThat(pg.port()).isNotEqualTo(pg.directPort());
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres");
        try (Connection c = Clients.app(pg); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT inet_server_port(), version()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(pg.directPort());
            assertThat(rs.getString(2)).startsWith("PostgreSQL 17.");
        }
    }

    @Test
    void postgres_hasLogicalWalLevelAndReplicationSettings() throws SQLException {
        PostgresServer pg = REGIONS.region("eu").postgres();
        try (Connection c = Clients.superuser(pg); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('wal_level'), current_setting('max_wal_senders')::int,"
                        + " current_setting('max_replication_slots')::int, current_setting('hot_standby')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
            assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(10);
            assertThat(rs.getInt(3)).isGreaterThanOrEqualTo(10);
            assertThat(rs.getString(4)).isEqualTo("on");
        }
    }

    @Test
    void postgres_appRoleIsNotSuperuserAndOwnsNothing() throws SQLException {
        PostgresServer pg = REGIONS.region("us").postgres();
        try (Connection su = Clients.superuser(pg); Statement s = su.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS owned_by_super (id int PRIMARY KEY)");
            try (ResultSet rs = s.executeQuery("SELECT rolsuper, rolbypassrls, rolcanlogin,"
                    + " (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
                    + " FROM pg_roles r WHERE rolname = '" + pg.appUser() + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("superuser").isFalse();
                assertThat(rs.getBoolean(2)).as("bypassrls").isFalse();
                assertThat(rs.getBoolean(3)).as("login").isTrue();
                assertThat(rs.getLong(4)).as("owned relations").isZero();
            }
        }
        try (Connection app = Clients.app(pg); Statement s = app.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user, current_setting('is_superuser')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(pg.appUser());
            assertThat(rs.getString(2)).isEqualTo("off");
            // default privileges let the app role use the superuser's tables without owning them
            s.execute("INSERT INTO owned_by_super VALUES (1) ON CONFLICT DO NOTHING");
        }
    }

    @Test
    void postgres_rejectsAWrongPassword() {
        PostgresServer pg = REGIONS.region("us").postgres();
        assertThatThrownBy(() -> Clients.connect(pg.jdbcUrl(), pg.appUser(), "not-the-password", 2).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void postgres_superuserDataSourceWorks() throws SQLException {
        PostgresServer pg = REGIONS.region("eu").postgres();
        try (Connection c = pg.superuserDataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('is_superuser')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("on");
        }
    }

    @Test
    void postgres_toStringHidesPasswords() {
        PostgresServer pg = REGIONS.region("us").postgres();
        assertThat(pg.toString()).doesNotContain(pg.superPassword()).doesNotContain(pg.appPassword());
        assertThat(REGIONS.toString()).doesNotContain(pg.superPassword()).doesNotContain(pg.appPassword());
    }

    @Test
    void redis_answersPingSetGetThroughItsProxy() {
        RedisServer redis = REGIONS.region("eu").redis();
        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
        RedisClient client = Clients.redis(redis, Duration.ofSeconds(2));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            c.sync().set("k", "v-eu");
            assertThat(c.sync().get("k")).isEqualTo("v-eu");
            assertThat(c.sync().configGet("appendonly")).containsEntry("appendonly", "no");
            assertThat(c.sync().configGet("save")).containsEntry("save", "");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void mongo_insertsAndFindsThroughItsProxy() {
        MongoServer mongo = REGIONS.region("us").mongo();
        assertThat(mongo.connectionString()).isEqualTo("mongodb://127.0.0.1:" + mongo.port());
        try (MongoClient client = Clients.mongo(mongo)) {
            MongoCollection<Document> users = client.getDatabase("app").getCollection("users");
            users.insertOne(new Document("_id", 42).append("region", "us"));
            Document found = users.find(new Document("_id", 42)).first();
            assertThat(found).isNotNull();
            assertThat(found.getString("region")).isEqualTo("us");
        }
    }

    @Test
    void region_withoutAKind_saysSo() {
        assertThatThrownBy(() -> REGIONS.region("eu").mongo())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("region 'eu' has no MONGO server");
        assertThatThrownBy(() -> REGIONS.region("ap"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region 'ap' is not declared");
    }
}
