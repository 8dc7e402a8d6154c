package io.regionrouter.jdbc;

import static io.regionrouter.jdbc.PgFixture.AP;
import static io.regionrouter.jdbc.PgFixture.EU;
import static io.regionrouter.jdbc.PgFixture.US;
import static io.regionrouter.jdbc.PgFixture.count;
import static io.regionrouter.jdbc.PgFixture.execute;
import static io.regionrouter.jdbc.PgFixture.insertOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.RegionContext;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The database enforces residency by itself, as the application role, with the application's guard out of the way. */
class ResidencyIT {

    @RegisterExtension
    static final LocalRegions REGIONS = PgFixture.threeRegions();

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("us").primary("us").build();
    private static PgFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new PgFixture(REGIONS, TOPOLOGY,
                StaticRegionDirectory.builder().user("alice", EU).user("bob", US).user("chen", AP).build(), b -> { });
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void cleanTables() throws SQLException {
        fixture.applyOrders();
    }

    private static List<String> regionsSeen(Connection c) throws SQLException {
        List<String> seen = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT region FROM orders ORDER BY id")) {
            while (rs.next()) {
                seen.add(rs.getString(1));
            }
        }
        return seen;
    }

    @Test
    void insertOfAnEuRowThroughTheUsPool_isRejectedByPostgresItself() throws SQLException {
        try (Connection c = fixture.pg.pool(US).getConnection()) {
            assertThatThrownBy(() -> insertOrder(c, 1, "alice", "contraband", EU)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("row-level security")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
        for (var r : TOPOLOGY.regions()) {
            assertThat(count(fixture.superuser(r), "SELECT count(*) FROM orders")).as("rows in %s", r).isZero();
        }
    }

    @Test
    void updateMovingARowToAnotherRegion_isRejectedByPostgres() throws SQLException {
        try (Connection c = fixture.pg.pool(US).getConnection()) {
            insertOrder(c, 1, "bob", "book", US);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE orders SET region = 'eu' WHERE id = 1"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
        assertThat(count(fixture.superuser(US), "SELECT count(*) FROM orders WHERE region = 'us'")).isEqualTo(1);
    }

    @Test
    void selectThroughTheEuPool_neverSeesUsRows() throws SQLException {
        execute(fixture.superuser(EU), "INSERT INTO orders (id, user_id, item, region) VALUES"
                + " (1, 'bob', 'planted', 'us'), (2, 'alice', 'own', 'eu'), (3, 'chen', 'planted', 'ap')");
        try (Connection c = fixture.pg.pool(EU).getConnection()) {
            assertThat(regionsSeen(c)).containsExactly("eu");
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("DELETE FROM orders WHERE region = 'us'")).isZero();
            }
        }
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders")).isEqualTo(3);
    }

    @Test
    void theDatabasesRule_ignoresTheSessionSetting_soNoSetOrSetConfigLetsAForeignRowIn() throws SQLException {
        execute(fixture.superuser(EU), "INSERT INTO orders (id, user_id, item, region) VALUES"
                + " (1, 'alice', 'own', 'eu'), (2, 'bob', 'planted', 'us')");
        String[] hostile = {
            "SET app.user_region = 'us'",
            "SELECT set_config('app.user_region', 'us', false)",
            "RESET app.user_region",
            "SET SESSION AUTHORIZATION DEFAULT",
        };
        long id = 10;
        for (String attempt : hostile) {
            try (Connection c = fixture.pg.pool(EU).getConnection(); Statement s = c.createStatement()) {
                s.execute(attempt);
                assertThat(regionsSeen(c)).as("after %s", attempt).containsExactly("eu");
                long rowId = id++;
                assertThatThrownBy(() -> insertOrder(c, rowId, "bob", "contraband", US)).as("after %s", attempt)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
        try (Connection c = fixture.server(EU).appDataSource().getConnection()) {
            assertThat(regionsSeen(c)).as("a session with no setting at all").containsExactly("eu");
        }
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE region = 'us'"))
                .as("only the planted us row, nothing the application role wrote").isEqualTo(1);
    }

    @Test
    void apply_refusesToRunAsTheApplicationRole() {
        ResidencySchema schema = PgFixture.ordersSchema(TOPOLOGY);
        assertThatThrownBy(() -> schema.apply(fixture.server(AP).appDataSource(), AP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must not run as the application role app");
    }

    @Test
    void apply_refusesWhenTheApplicationRoleOwnsTheTable() throws SQLException {
        ResidencySchema schema = PgFixture.ordersSchema(TOPOLOGY);
        execute(fixture.superuser(AP), "ALTER TABLE orders OWNER TO app");
        try {
            assertThatThrownBy(() -> schema.apply(fixture.superuser(AP), AP))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is, or belongs to, app, the owner of orders");
        } finally {
            execute(fixture.superuser(AP), "ALTER TABLE orders OWNER TO postgres");
        }
    }

    @Test
    void partitions_cannotBeReachedDirectlyByTheAppRole() throws SQLException {
        try (Connection c = fixture.pg.pool(US).getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM orders_eu")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void audit_findsAPlantedOutOfRegionRow() throws SQLException {
        execute(fixture.superuser(US), "INSERT INTO orders (id, user_id, item, region) VALUES"
                + " (1, 'bob', 'fine', 'us'), (2, 'alice', 'misplaced', 'eu'), (3, 'alice', 'misplaced', 'eu')");
        ResidencySchema schema = PgFixture.ordersSchema(TOPOLOGY);
        ResidencyAudit us = schema.audit(fixture.superuser(US), US);
        assertThat(us.isClean()).isFalse();
        assertThat(us.misplacedRows()).isEqualTo(Map.of("eu", 2L));
        assertThat(us.misplacedRowCount()).isEqualTo(2);
        assertThat(schema.audit(fixture.superuser(EU), "orders", EU).isClean()).isTrue();
    }

    @Test
    void audit_refusesTheAppRoleBecauseRlsWouldHideTheRows() {
        ResidencySchema schema = PgFixture.ordersSchema(TOPOLOGY);
        assertThatThrownBy(() -> schema.audit(fixture.pg.pool(US), "orders", US)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("superuser or a BYPASSRLS role");
    }

    @Test
    void apply_isRepeatableAndRefusesAPrivilegedAppRole() throws SQLException {
        ResidencySchema schema = PgFixture.ordersSchema(TOPOLOGY);
        schema.apply(fixture.superuser(AP), AP);
        schema.apply(fixture.superuser(AP), AP);
        assertThat(count(fixture.superuser(AP), "SELECT count(*) FROM pg_policies WHERE tablename = 'orders'")).isEqualTo(1);
        assertThat(count(fixture.superuser(AP),
                "SELECT count(*) FROM pg_class WHERE relname = 'orders' AND relrowsecurity AND relforcerowsecurity")).isEqualTo(1);
        ResidencySchema privileged = ResidencySchema.builder(TOPOLOGY).table("orders").column("id", "bigint NOT NULL")
                .appRole("postgres").build();
        assertThatThrownBy(() -> privileged.apply(fixture.superuser(AP), AP)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("appRole postgres must be neither a superuser nor BYPASSRLS");
    }

    @Test
    void applicationGuard_rejectsAContextNamingAForbiddenRegionBeforeAnySql() throws SQLException {
        int activeBefore = fixture.pg.pool(AP).getHikariPoolMXBean().getActiveConnections();
        try (RegionContext.Scope s = RegionContext.of("alice", AP).open()) {
            assertThatThrownBy(() -> fixture.pg.routingDataSource().getConnection())
                    .isInstanceOf(ResidencyViolationSQLException.class).hasCauseInstanceOf(ResidencyViolationException.class)
                    .hasMessageContaining("alice");
        }
        assertThat(fixture.pg.pool(AP).getHikariPoolMXBean().getActiveConnections()).isEqualTo(activeBefore);
        try (RegionContext.Scope s = RegionContext.of("alice", EU).open();
                Connection c = fixture.pg.routingDataSource().getConnection()) {
            insertOrder(c, 7, "alice", "allowed", EU);
        }
        assertThat(count(fixture.superuser(EU), "SELECT count(*) FROM orders WHERE id = 7")).isEqualTo(1);
    }
}
