package io.regionrouter.jdbc.replication;

import static io.regionrouter.jdbc.replication.Pg.await;
import static io.regionrouter.jdbc.replication.Pg.count;
import static io.regionrouter.jdbc.replication.Pg.execute;
import static io.regionrouter.jdbc.replication.Pg.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.ServerKind;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An active-active GLOBAL table between us (primary) and eu on real PostgreSQL 17. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActiveActiveIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
            .build();

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").primary("us").local("eu").build();
    static LogicalReplication replication;
    static int markers;

    static DataSource db(Region r) {
        return regions.region(r.id()).postgres().superuserDataSource();
    }

    static String value(Region r, long id) throws Exception {
        return string(db(r), "SELECT value FROM settings WHERE id = ?", id);
    }

    @BeforeAll
    static void setUp() throws Exception {
        for (Region r : TOPOLOGY.regions()) {
            execute(db(r), "CREATE TABLE settings (id bigint PRIMARY KEY, value text, updated_at timestamptz NOT NULL DEFAULT now())",
                    "CREATE TABLE bad_settings (id bigint PRIMARY KEY, value text, updated_at timestamp)");
        }
        execute(db(US), "INSERT INTO settings (id, value) VALUES (1, 'initial')");
        replication = Pg.replication(regions, TOPOLOGY).plan(ReplicationPlan.builder().activeActive("settings", "updated_at").build())
                .build();
    }

    @AfterAll
    static void tearDown() {
        if (replication != null) {
            replication.teardown();
        }
    }

    @Test
    @Order(1)
    void apply_refusesUpdatedAtColumnWithoutTimeZone() {
        LogicalReplication bad = Pg.replication(regions, TOPOLOGY).plan(ReplicationPlan.builder().namePrefix("pre")
                .activeActive("bad_settings", "updated_at").build()).build();

        assertThatThrownBy(bad::apply).isInstanceOf(ReplicationPreconditionException.class).hasMessageContaining(
                "region us: active-active table bad_settings column updated_at must be of type timestamp with time zone,"
                        + " but was timestamp without time zone");
    }

    @Test
    @Order(2)
    void apply_subscribesBothWays_withOriginNone_copyingOnlyFromThePrimary() throws Exception {
        replication.apply();
        replication.awaitInitialSync(WAIT);

        assertThat(string(db(EU), "SELECT suborigin FROM pg_subscription WHERE subname = 'rr_aa_us_to_eu'")).isEqualTo("none");
        assertThat(string(db(US), "SELECT suborigin FROM pg_subscription WHERE subname = 'rr_aa_eu_to_us'")).isEqualTo("none");
        assertThat(value(EU, 1)).isEqualTo("initial");
    }

    @Test
    @Order(3)
    void writesInEitherRegion_reachTheOther_andDoNotLoop() throws Exception {
        execute(db(EU), "INSERT INTO settings (id, value) VALUES (2, 'from eu')", "UPDATE settings SET value = 'changed in eu' WHERE id = 1");
        await("eu's writes reach us", WAIT, () -> "changed in eu".equals(value(US, 1)) && "from eu".equals(value(US, 2)));
        String xmin = string(db(US), "SELECT xmin::text FROM settings WHERE id = 1");

        // round trips in both directions: a loop would keep rewriting row 1 meanwhile
        execute(db(US), "INSERT INTO settings (id, value) VALUES (99, 'marker')");
        await("marker reaches eu", WAIT, () -> value(EU, 99) != null);
        execute(db(EU), "INSERT INTO settings (id, value) VALUES (98, 'marker')");
        await("marker reaches us", WAIT, () -> value(US, 98) != null);

        assertThat(string(db(US), "SELECT xmin::text FROM settings WHERE id = 1")).as("row 1 not rewritten").isEqualTo(xmin);
        assertThat(string(db(EU), "SELECT updated_at::text FROM settings WHERE id = 1"))
                .isEqualTo(string(db(US), "SELECT updated_at::text FROM settings WHERE id = 1"));
    }

    @Test
    @Order(4)
    void concurrentUpdates_convergeOnTheLaterWrite_inBothRegions() throws Exception {
        conflict(US, "older from us", EU, "newer from eu");
        conflict(EU, "older from eu", US, "newer from us");
    }

    private void conflict(Region first, String firstValue, Region second, String secondValue) throws Exception {
        execute(db(EU), "ALTER SUBSCRIPTION rr_aa_us_to_eu DISABLE");
        execute(db(US), "ALTER SUBSCRIPTION rr_aa_eu_to_us DISABLE");
        // both apply workers stopped: the two updates cannot see each other before they conflict
        await("the apply workers stop", WAIT, () -> count(db(EU), "SELECT count(pid) FROM pg_stat_subscription WHERE subname = 'rr_aa_us_to_eu'")
                + count(db(US), "SELECT count(pid) FROM pg_stat_subscription WHERE subname = 'rr_aa_eu_to_us'") == 0);
        execute(db(first), "UPDATE settings SET value = '" + firstValue + "' WHERE id = 1");
        execute(db(second), "UPDATE settings SET value = '" + secondValue + "' WHERE id = 1");
        assertThat(value(first, 1)).as("diverged while apart").isEqualTo(firstValue);

        execute(db(EU), "ALTER SUBSCRIPTION rr_aa_us_to_eu ENABLE");
        execute(db(US), "ALTER SUBSCRIPTION rr_aa_eu_to_us ENABLE");
        long marker = 1000 + markers++;
        execute(db(US), "INSERT INTO settings (id, value) VALUES (" + marker + ", 'marker from us')");
        execute(db(EU), "INSERT INTO settings (id, value) VALUES (" + (marker + 500) + ", 'marker from eu')");
        // each marker follows the conflicting update on the same stream, so once it is there the update was applied
        await("the markers cross", WAIT, () -> value(EU, marker) != null && value(US, marker + 500) != null);

        assertThat(value(US, 1)).isEqualTo(secondValue);
        assertThat(value(EU, 1)).isEqualTo(secondValue);
    }

    @Test
    @Order(5)
    void teardown_dropsSubscriptionsAndTriggers() throws Exception {
        replication.teardown();

        for (Region r : TOPOLOGY.regions()) {
            assertThat(count(db(r), "SELECT count(*) FROM pg_subscription")).isZero();
            assertThat(count(db(r), "SELECT count(*) FROM pg_trigger WHERE tgname = 'rr_last_write_wins'")).isZero();
            assertThat(count(db(r), "SELECT count(*) FROM pg_replication_slots")).isZero();
        }
    }
}
