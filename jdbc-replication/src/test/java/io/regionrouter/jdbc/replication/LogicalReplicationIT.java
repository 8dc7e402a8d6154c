package io.regionrouter.jdbc.replication;

import static io.regionrouter.jdbc.replication.Pg.await;
import static io.regionrouter.jdbc.replication.Pg.count;
import static io.regionrouter.jdbc.replication.Pg.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.Topology;
import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Logical replication planned from a topology on three real PostgreSQL 17 servers: us is the
 * primary; eu's residency rules allow ap; us and ap allow no other region.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogicalReplicationIT {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Region AP = Region.of("ap");
    static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static LocalRegions regions = LocalRegions.builder().region("us", ServerKind.POSTGRES).region("eu", ServerKind.POSTGRES)
            .region("ap", ServerKind.POSTGRES).build();

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("eu").primary("us")
            .residency("eu", "ap").build();
    static final ReplicationPlan PLAN = ReplicationPlan.builder().global("products").regulated("users", "region")
            .copyRegulatedToAllowedRegions().build();

    static LogicalReplication replication;

    static DataSource db(Region r) {
        return regions.region(r.id()).postgres().superuserDataSource();
    }

    @BeforeAll
    static void schema() throws Exception {
        for (Region r : TOPOLOGY.regions()) {
            execute(db(r),
                    "CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL)",
                    "CREATE TABLE users (id bigint PRIMARY KEY, region text NOT NULL, name text)",
                    "ALTER TABLE users REPLICA IDENTITY FULL",
                    "CREATE TABLE notes (id bigint PRIMARY KEY, region text NOT NULL, body text)");
        }
        // rows that exist before the subscriptions: copy_data must bring them
        execute(db(US), "INSERT INTO products VALUES (1, 'before')", "INSERT INTO users VALUES (100, 'us', 'us-before')");
        execute(db(EU), "INSERT INTO users VALUES (200, 'eu', 'eu-before')");
        execute(db(AP), "INSERT INTO users VALUES (300, 'ap', 'ap-before')");
        replication = Pg.replication(regions, TOPOLOGY).plan(PLAN).build();
    }

    @AfterAll
    static void teardown() {
        if (replication != null) {
            replication.teardown();
        }
    }

    static long objects(Region r, String prefix) throws Exception {
        return count(db(r), "SELECT (SELECT count(*) FROM pg_publication WHERE pubname LIKE ? || '\\_%')"
                + " + (SELECT count(*) FROM pg_subscription WHERE subname LIKE ? || '\\_%')"
                + " + (SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE ? || '\\_%')", prefix, prefix, prefix);
    }

    @Test
    @Order(1)
    void build_refusesCopyToRegionTheRulesDoNotAllow_beforeAnyDdl() throws Exception {
        ReplicationPlan bad = ReplicationPlan.builder().namePrefix("bad").regulated("users", "region")
                .copyRegulated(EU, AP).copyRegulated(US, EU).build();

        assertThatThrownBy(() -> Pg.replication(regions, TOPOLOGY).plan(bad).build())
                .isInstanceOf(ResidencyViolationException.class)
                .satisfies(e -> {
                    ResidencyViolationException v = (ResidencyViolationException) e;
                    assertThat(v.home()).isEqualTo(US);
                    assertThat(v.target()).isEqualTo(EU);
                });
        for (Region r : TOPOLOGY.regions()) {
            assertThat(objects(r, "bad")).as("objects named bad_* in " + r).isZero();
        }
    }

    @Test
    @Order(2)
    void apply_refusesRegulatedTableWithoutReplicaIdentityCoveringRegion_beforeAnyDdl() throws Exception {
        ReplicationPlan plan = ReplicationPlan.builder().namePrefix("pre").global("products").regulated("notes", "region")
                .copyRegulatedToAllowedRegions().build();
        LogicalReplication r = Pg.replication(regions, TOPOLOGY).plan(plan).build();

        assertThatThrownBy(r::apply).isInstanceOf(ReplicationPreconditionException.class)
                .hasMessageContaining("region eu (publisher): table notes needs REPLICA IDENTITY FULL or region in its primary key");
        for (Region region : TOPOLOGY.regions()) {
            assertThat(objects(region, "pre")).as("objects named pre_* in " + region).isZero();
        }
    }

    @Test
    @Order(3)
    void apply_refusesTablesMissingOnTheSubscriber() throws Exception {
        execute(db(US), "CREATE TABLE IF NOT EXISTS only_in_us (id bigint PRIMARY KEY)");
        ReplicationPlan plan = ReplicationPlan.builder().namePrefix("pre").global("only_in_us").build();
        LogicalReplication r = Pg.replication(regions, TOPOLOGY).plan(plan).build();

        assertThatThrownBy(r::apply).isInstanceOf(ReplicationPreconditionException.class)
                .satisfies(e -> assertThat(((ReplicationPreconditionException) e).problems()).containsExactly(
                        "region eu (subscriber): table only_in_us does not exist; logical replication does not copy DDL, create it first",
                        "region ap (subscriber): table only_in_us does not exist; logical replication does not copy DDL, create it first"));
        assertThat(objects(US, "pre")).isZero();
    }

    @Test
    @Order(10)
    void apply_createsPlannedObjects_andCopiesExistingRows() throws Exception {
        assertThat(replication.ddl().get(EU)).anySatisfy(s -> assertThat(s)
                .isEqualTo("CREATE PUBLICATION rr_regulated_eu FOR TABLE users WHERE (region IN ('eu'))"
                        + " WITH (publish_via_partition_root = true)"));

        replication.apply();
        replication.awaitInitialSync(WAIT);

        assertThat(count(db(EU), "SELECT count(*) FROM products WHERE id = 1")).isEqualTo(1);
        assertThat(count(db(AP), "SELECT count(*) FROM products WHERE id = 1")).isEqualTo(1);
        assertThat(count(db(AP), "SELECT count(*) FROM users WHERE id = 200")).isEqualTo(1);
        assertThat(Pg.string(db(AP), "SELECT string_agg(subname, ',' ORDER BY subname) FROM pg_subscription"))
                .isEqualTo("rr_eu_to_ap,rr_us_to_ap");
        assertThat(count(db(US), "SELECT count(*) FROM pg_subscription")).isZero();
    }

    @Test
    @Order(11)
    void globalTable_reachesEveryRegion_withUpdatesAndDeletes() throws Exception {
        execute(db(US), "INSERT INTO products VALUES (2, 'new')", "UPDATE products SET name = 'renamed' WHERE id = 1");
        for (Region r : List.of(EU, AP)) {
            await("product 2 and the rename reach " + r, WAIT,
                    () -> count(db(r), "SELECT count(*) FROM products WHERE id = 2 OR (id = 1 AND name = 'renamed')") == 2);
        }
        execute(db(US), "DELETE FROM products WHERE id = 2");
        for (Region r : List.of(EU, AP)) {
            await("the delete reaches " + r, WAIT, () -> count(db(r), "SELECT count(*) FROM products WHERE id = 2") == 0);
        }
    }

    @Test
    @Order(12)
    void regulatedRows_reachOnlyAllowedRegions_andNoneWhereRulesAllowNone() throws Exception {
        execute(db(EU), "INSERT INTO users VALUES (201, 'eu', 'eu-after')");
        execute(db(US), "INSERT INTO users VALUES (101, 'us', 'us-after')", "INSERT INTO products VALUES (3, 'marker-us')");
        execute(db(AP), "INSERT INTO users VALUES (301, 'ap', 'ap-after')");

        await("eu's new user reaches ap", WAIT, () -> count(db(AP), "SELECT count(*) FROM users WHERE id = 201") == 1);
        // the marker travels on the same subscription from us, after the us user: once it is there,
        // the us user would be too if it had been published
        for (Region r : List.of(EU, AP)) {
            await("us marker reaches " + r, WAIT, () -> count(db(r), "SELECT count(*) FROM products WHERE id = 3") == 1);
        }
        assertThat(count(db(US), "SELECT count(*) FROM users WHERE region <> 'us'")).as("foreign users in us").isZero();
        assertThat(count(db(EU), "SELECT count(*) FROM users WHERE region <> 'eu'")).as("foreign users in eu").isZero();
        assertThat(count(db(AP), "SELECT count(*) FROM users WHERE region = 'us'")).as("us users in ap").isZero();
        assertThat(count(db(AP), "SELECT count(*) FROM users WHERE region = 'eu'")).as("eu users in ap").isEqualTo(2);
    }

    @Test
    @Order(13)
    void updateMovingRowOutOfFilter_isDeletedOnSubscriber_andIntoFilter_isInserted() throws Exception {
        execute(db(EU), "INSERT INTO users VALUES (210, 'eu', 'leaving')", "INSERT INTO users VALUES (211, 'us', 'arriving')",
                "INSERT INTO users VALUES (212, 'eu', 'marker')");
        await("marker reaches ap", WAIT, () -> count(db(AP), "SELECT count(*) FROM users WHERE id = 212") == 1);
        assertThat(count(db(AP), "SELECT count(*) FROM users WHERE id IN (210, 211)")).isEqualTo(1);

        // old row matches, new row does not: PostgreSQL sends the UPDATE as a DELETE
        execute(db(EU), "UPDATE users SET region = 'us' WHERE id = 210");
        // old row does not match, new row does: PostgreSQL sends the UPDATE as an INSERT
        execute(db(EU), "UPDATE users SET region = 'eu' WHERE id = 211");

        await("210 is deleted and 211 inserted in ap", WAIT,
                () -> count(db(AP), "SELECT count(*) FROM users WHERE id = 210") == 0
                        && count(db(AP), "SELECT count(*) FROM users WHERE id = 211 AND region = 'eu' AND name = 'arriving'") == 1);
    }

    @Test
    @Order(20)
    void apply_isIdempotent() throws Exception {
        long before = objects(US, "rr") + objects(EU, "rr") + objects(AP, "rr");

        replication.apply();
        replication.apply();

        assertThat(objects(US, "rr") + objects(EU, "rr") + objects(AP, "rr")).isEqualTo(before);
        execute(db(US), "INSERT INTO products VALUES (4, 'after reapply')");
        await("product 4 reaches ap", WAIT, () -> count(db(AP), "SELECT count(*) FROM products WHERE id = 4") == 1);
        assertThat(count(db(AP), "SELECT count(*) FROM products WHERE id = 1")).as("no duplicate copy").isEqualTo(1);
    }

    @Test
    @Order(30)
    void teardown_dropsSubscriptionsPublicationsAndSlots_andIsIdempotent() throws Exception {
        var us = regions.region("us").postgres();
        execute(db(US), "CREATE DATABASE tenant_b");
        String otherDb = us.jdbcUrl().replace("/" + PostgresServer.DATABASE, "/tenant_b");
        try (Connection other = DriverManager.getConnection(otherDb, us.superUser(), us.superPassword());
                Statement s = other.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('rr_us_to_tenant', 'pgoutput')");
        }
        execute(db(US), "SELECT pg_create_logical_replication_slot('rr_not_planned', 'pgoutput')");

        replication.teardown();
        replication.teardown();

        assertThat(count(db(US), "SELECT count(*) FROM pg_replication_slots WHERE slot_name IN"
                + " ('rr_us_to_tenant', 'rr_not_planned')")).as("slots the plan did not create survive").isEqualTo(2);
        execute(db(US), "SELECT pg_drop_replication_slot('rr_us_to_tenant')", "SELECT pg_drop_replication_slot('rr_not_planned')");
        for (Region r : TOPOLOGY.regions()) {
            assertThat(objects(r, "rr")).as("objects named rr_* in " + r).isZero();
        }
    }
}
