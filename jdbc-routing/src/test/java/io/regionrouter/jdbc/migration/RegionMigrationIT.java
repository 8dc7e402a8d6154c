package io.regionrouter.jdbc.migration;

import static io.regionrouter.jdbc.migration.MoveFixture.EU;
import static io.regionrouter.jdbc.migration.MoveFixture.US;
import static io.regionrouter.jdbc.migration.MoveFixture.WAIT;
import static io.regionrouter.jdbc.migration.MoveFixture.await;
import static io.regionrouter.jdbc.migration.MoveFixture.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.MoveGuard;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.MoveStatus;
import io.regionrouter.jdbc.MovedTable;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.ResidencyAudit;
import io.regionrouter.testkit.LocalRegions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Moving a user from eu to us on real PostgreSQL 17 servers while two application instances (one
 * per region, each with its own cache, listener and pools) keep writing for that user and others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegionMigrationIT {

    @RegisterExtension
    static LocalRegions regions = MoveFixture.regions();

    static MoveFixture fx;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new MoveFixture(regions);
        fx.migration(null).build().installSchema();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    static long missing(DataSource ds, String user, Region region, List<Long> ids) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM unnest(?::bigint[]) AS a(id) WHERE NOT EXISTS (SELECT 1 FROM notes n WHERE n.id = a.id"
                        + " AND n.user_id = ? AND n.region = ?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.setString(2, user);
            ps.setString(3, region.id());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    @Test
    @Order(1)
    void userWith10000Rows_movesWhileTwoInstancesWrite_noWriteLost_noRowLeftBehind() throws Exception {
        fx.seed("mover", EU, 10_000, 1_000_000);
        fx.seed("stay-eu", EU, 10, 2_000_000);
        fx.seed("stay-us", US, 10, 3_000_000);
        await("users replicated to eu", WAIT, () -> count(fx.admins.get(EU), "SELECT count(*) FROM region_directory") >= 3);
        MoveFixture.Instance usApp = fx.new Instance(US);
        MoveFixture.Instance euApp = fx.new Instance(EU);
        await("listeners", WAIT, () -> usApp.feed.isListening() && euApp.feed.isListening());
        List<String> users = List.of("mover", "stay-eu", "stay-us");
        AtomicLong ids = new AtomicLong(10_000_000);
        Writer usWriter = new Writer(usApp, users, "mover", ids);
        Writer euWriter = new Writer(euApp, users, "mover", ids);
        Thread t1 = new Thread(usWriter, "writer-us");
        Thread t2 = new Thread(euWriter, "writer-eu");
        long[] flipNanos = {0};
        List<String> steps = new ArrayList<>();
        RegionMigration migration = fx.migration((status, detail) -> {
            steps.add(status.state() + ": " + detail);
            if (status.state() == MoveState.FLIPPED) {
                flipNanos[0] = System.nanoTime();
            }
        }).retention(Duration.ofSeconds(1)).build();
        MoveStatus fenced;
        try {
            t1.start();
            t2.start();
            await("both instances wrote for the mover", WAIT,
                    () -> !usWriter.acked.get("mover").isEmpty() && !euWriter.acked.get("mover").isEmpty());
            long started = System.nanoTime();
            fenced = migration.move("mover", US);
            long moveMillis = (System.nanoTime() - started) / 1_000_000;
            await("both instances wrote for the mover in us", WAIT,
                    () -> usWriter.firstWriteNanos.containsKey(US) && euWriter.firstWriteNanos.containsKey(US));
            Thread.sleep(300); // more writes after the follow
            List<Long> blocked = new ArrayList<>(usWriter.blockedNanos);
            blocked.addAll(euWriter.blockedNanos);
            System.out.printf("move of 10000 rows: %d ms; writes refused for the mover: us %d, eu %d; blocked p50 %d ms,"
                    + " p99 %d ms, max %d ms; first write in us after the flip: us instance %d ms, eu instance %d ms%n",
                    moveMillis, usWriter.refused.get("mover").get(), euWriter.refused.get("mover").get(),
                    percentile(blocked, 0.5) / 1_000_000, percentile(blocked, 0.99) / 1_000_000,
                    blocked.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000,
                    (usWriter.firstWriteNanos.get(US) - flipNanos[0]) / 1_000_000,
                    (euWriter.firstWriteNanos.get(US) - flipNanos[0]) / 1_000_000);
            steps.forEach(s -> System.out.println("  step " + s));
        } finally {
            usWriter.stop = true;
            euWriter.stop = true;
            t1.join(10_000);
            t2.join(10_000);
            usApp.close();
            euApp.close();
        }

        assertThat(fenced.state()).isEqualTo(MoveState.FENCED);
        assertThat(usWriter.failures).isEmpty();
        assertThat(euWriter.failures).isEmpty();
        assertThat(euApp.cache.lookup("mover")).contains(US);
        // the old region's database refuses a stale instance's write
        assertThatThrownBy(() -> insert(euApp.pools.get(EU), 99_999_999L, "mover", EU)).matches(MoveGuard::isMovedAway);

        await("retention over", WAIT, () -> !migration.purgeDue().isEmpty() || migration.status("mover").get().state() == MoveState.DONE);
        assertThat(migration.status("mover")).map(MoveStatus::state).contains(MoveState.DONE);

        List<Long> moverAcked = new ArrayList<>(usWriter.acked.get("mover"));
        moverAcked.addAll(euWriter.acked.get("mover"));
        assertThat(moverAcked).isNotEmpty();
        assertThat(missing(fx.admins.get(US), "mover", US, moverAcked)).as("acknowledged mover writes missing in us").isZero();
        assertThat(fx.rows(US, "mover")).isEqualTo(10_000 + moverAcked.size());
        assertThat(fx.rows(EU, "mover")).as("mover rows left in eu").isZero();
        for (String other : List.of("stay-eu", "stay-us")) {
            Region home = other.equals("stay-eu") ? EU : US;
            List<Long> otherAcked = new ArrayList<>(usWriter.acked.get(other));
            otherAcked.addAll(euWriter.acked.get(other));
            assertThat(otherAcked).isNotEmpty();
            assertThat(missing(fx.admins.get(home), other, home, otherAcked)).as("acknowledged writes of " + other).isZero();
            assertThat(usWriter.refused.get(other).get() + euWriter.refused.get(other).get()).as("refused writes of " + other).isZero();
        }
        MovedTable notes = new MovedTable(fx.notes, "user_id");
        ResidencyAudit eu = migration.audit(notes, EU);
        assertThat(eu.isClean()).as(eu.toString()).isTrue();
        assertThat(count(fx.admins.get(US), "SELECT count(*) FROM region_directory_move_audit WHERE user_id = 'mover'"))
                .isEqualTo(8);
    }

    static void insert(DataSource ds, long id, String user, Region region) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, user_id, body, region) VALUES (?, ?, 'x', ?)")) {
            ps.setLong(1, id);
            ps.setString(2, user);
            ps.setString(3, region.id());
            ps.executeUpdate();
        }
    }

    /** Stands for the migrating process dying right after a step was recorded. */
    static final class Killed extends Error {
        Killed(String step) {
            super("killed after " + step);
        }
    }

    static final List<String> STEPS = List.of("PLANNED", "COPIED", "VERIFIED", "FROZEN", "CAUGHT_UP", "FLIPPED", "FENCED");

    @ParameterizedTest
    @ValueSource(strings = {"PLANNED", "COPIED", "VERIFIED", "FROZEN", "CAUGHT_UP", "FLIPPED", "FENCED"})
    @Order(2)
    void killedAfterEachStep_resumeEndsMoved(String step) throws Exception {
        String user = "resume-" + step.toLowerCase();
        long first = 4_000_000L + STEPS.indexOf(step) * 10_000L;
        fx.seed(user, EU, 300, first);
        RegionMigration killing = fx.migration((status, detail) -> {
            if (status.state().name().equals(step)) {
                throw new Killed(step);
            }
        }).retention(Duration.ZERO).build();

        assertThatThrownBy(() -> killing.move(user, US)).isInstanceOf(Killed.class);
        MoveStatus done = fx.migration(null).retention(Duration.ZERO).build().resume(user);

        assertThat(done.state()).isEqualTo(MoveState.DONE);
        assertThat(fx.rows(US, user)).isEqualTo(300);
        assertThat(fx.rows(EU, user)).isZero();
        assertThat(fx.directory.lookup(user)).contains(US);
        insert(fx.server(US).appDataSource(), first + 5_000, user, US);
        assertThat(fx.rows(US, user)).isEqualTo(301);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLANNED", "COPIED", "VERIFIED", "FROZEN", "CAUGHT_UP"})
    @Order(3)
    void killedBeforeTheFlip_rollbackEndsWhereItBegan(String step) throws Exception {
        String user = "rollback-" + step.toLowerCase();
        long first = 5_000_000L + STEPS.indexOf(step) * 10_000L;
        fx.seed(user, EU, 300, first);
        RegionMigration killing = fx.migration((status, detail) -> {
            if (status.state().name().equals(step)) {
                throw new Killed(step);
            }
        }).build();

        assertThatThrownBy(() -> killing.move(user, US)).isInstanceOf(Killed.class);
        MoveStatus undone = killing.rollback(user);

        assertThat(undone.state()).isEqualTo(MoveState.ROLLED_BACK);
        assertThat(fx.rows(EU, user)).isEqualTo(300);
        assertThat(fx.rows(US, user)).isZero();
        assertThat(fx.directory.lookup(user)).contains(EU);
        // unfrozen: the application role writes in eu again
        insert(fx.server(EU).appDataSource(), first + 5_000, user, EU);
        assertThat(fx.rows(EU, user)).isEqualTo(301);
    }

    @Test
    @Order(4)
    void rollbackAfterTheFlip_isRefused() throws Exception {
        fx.seed("flipped", EU, 10, 6_000_000);
        RegionMigration migration = fx.migration(null).build();
        migration.move("flipped", US);
        assertThatThrownBy(() -> migration.rollback("flipped")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has flipped (FENCED)");
        assertThat(Optional.of(fx.rows(EU, "flipped"))).contains(10L); // kept for the retention

        // a stale write is refused with a class 40 SQLSTATE, which Spring translates as transient
        SQLException refused = null;
        try {
            insert(fx.server(EU).appDataSource(), 6_000_100, "flipped", EU);
        } catch (SQLException e) {
            refused = e;
        }
        assertThat(refused != null && MoveGuard.isMovedAway(refused)).as("refused as moved away: " + refused).isTrue();
        assertThat(new org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator("PostgreSQL")
                .translate("insert", null, refused)).isInstanceOf(org.springframework.dao.TransientDataAccessException.class);
    }

    @Test
    @Order(5)
    void freezeRunningOutBeforeTheFlip_rollsBack_andTheUserWritesAgain() throws Exception {
        fx.seed("slow", EU, 50, 7_000_000);
        RegionMigration migration = fx.migration((status, detail) -> {
            if (status.state() == MoveState.CAUGHT_UP) {
                sleep(600); // longer than the freeze minus the margin
            }
        }).maxFreeze(Duration.ofMillis(500)).flipMargin(Duration.ofMillis(200)).build();

        assertThatThrownBy(() -> migration.move("slow", US)).isInstanceOf(io.regionrouter.jdbc.MoveAbortedException.class)
                .hasMessageContaining("the freeze ran out before the flip");
        assertThat(migration.status("slow")).map(MoveStatus::state).contains(MoveState.ROLLED_BACK);
        assertThat(fx.directory.lookup("slow")).contains(EU);
        assertThat(fx.rows(US, "slow")).isZero();
        insert(fx.server(EU).appDataSource(), 7_000_100, "slow", EU);
        assertThat(fx.rows(EU, "slow")).isEqualTo(51);
    }

    @Test
    @Order(6)
    void userAssignedElsewhereDuringTheMove_flipCompareAndSetFails_andTheMoveRollsBack() throws Exception {
        fx.seed("contested", EU, 50, 8_000_000);
        RegionMigration migration = fx.migration((status, detail) -> {
            if (status.state() == MoveState.CAUGHT_UP) {
                try {
                    fx.directory.assign("contested", EU); // someone else writes the directory: epoch 2
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }).build();

        assertThatThrownBy(() -> migration.move("contested", US)).isInstanceOf(io.regionrouter.jdbc.MoveAbortedException.class)
                .hasMessageContaining("the directory changed since the move began (epoch 1)");
        assertThat(fx.directory.lookup("contested")).contains(EU);
        assertThat(fx.rows(US, "contested")).isZero();
        assertThat(fx.rows(EU, "contested")).isEqualTo(50);
    }

    @Test
    @Order(7)
    void residencyAudit_reportsAMovedUsersRowsLeftAfterTheRetention_untilTheyArePurged() throws Exception {
        fx.seed("lingering", EU, 25, 9_000_000);
        RegionMigration migration = fx.migration(null).retention(Duration.ofMillis(800)).sourceCopyWait(Duration.ZERO).build();
        MovedTable notes = new MovedTable(fx.notes, "user_id");
        assertThat(migration.move("lingering", US).state()).isEqualTo(MoveState.FENCED);
        assertThat(migration.audit(notes, EU).movedUserRows()).as("within the retention").doesNotContainKey("lingering");

        sleep(1000);
        ResidencyAudit late = migration.audit(notes, EU);
        assertThat(late.movedUserRows()).containsEntry("lingering", 25L);
        assertThat(late.isClean()).isFalse();
        assertThat(migration.audit(notes, US).movedUserRows()).doesNotContainKey("lingering");

        assertThat(migration.purgeDue()).extracting(MoveStatus::userId).contains("lingering");
        assertThat(migration.audit(notes, EU).movedUserRows()).doesNotContainKey("lingering");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLANNED", "COPIED", "VERIFIED", "FROZEN", "CAUGHT_UP", "FLIPPED", "FENCED"})
    @Order(8)
    void migratingProcessKilledAfterEachStep_resumeOrRollbackEndsConsistent(String step) throws Exception {
        String user = "killed-" + step.toLowerCase();
        long first = 30_000_000L + STEPS.indexOf(step) * 10_000L;
        fx.seed(user, EU, 500, first);
        Process child = startMigrator(user, step);
        try {
            awaitLine(child, "STEP " + step);
        } finally {
            child.destroyForcibly(); // SIGKILL: no finally blocks, no clean close in the child
            child.waitFor();
        }
        MoveStatus recorded = fx.migration(null).build().status(user).orElseThrow();
        assertThat(recorded.state().name()).isEqualTo(step);

        RegionMigration after = fx.migration(null).retention(Duration.ZERO).build();
        boolean rollBack = recorded.state().beforeFlip() && STEPS.indexOf(step) % 2 == 1;
        MoveStatus end = rollBack ? after.rollback(user) : after.resume(user);

        Region home = rollBack ? EU : US;
        Region other = rollBack ? US : EU;
        assertThat(end.state()).isEqualTo(rollBack ? MoveState.ROLLED_BACK : MoveState.DONE);
        assertThat(fx.directory.lookup(user)).contains(home);
        assertThat(fx.rows(home, user)).isEqualTo(500);
        assertThat(fx.rows(other, user)).isZero();
        insert(fx.server(home).appDataSource(), first + 5_000, user, home); // writable where it lives
        assertThat(fx.rows(home, user)).isEqualTo(501);
    }

    @Test
    @Order(9)
    void migratingProcessKilledInTheMiddleOfTheCopy_resumeEndsConsistent() throws Exception {
        String user = "killed-mid-copy";
        fx.seed(user, EU, 20_000, 11_000_000);
        Process child = startMigrator(user, "NEVER");
        try {
            awaitLine(child, "STEP PLANNED");
            Thread.sleep(150); // somewhere inside the copy of 20,000 rows, its transaction open
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        MoveStatus recorded = fx.migration(null).build().status(user).orElseThrow();
        System.out.println("killed in the middle of the copy; recorded state " + recorded.state() + ", rows already in us "
                + fx.rows(US, user));

        MoveStatus end = fx.migration(null).retention(Duration.ZERO).build().resume(user);

        assertThat(end.state()).isEqualTo(MoveState.DONE);
        assertThat(fx.rows(US, user)).isEqualTo(20_000);
        assertThat(fx.rows(EU, user)).isZero();
        assertThat(fx.directory.lookup(user)).contains(US);
    }

    @Test
    @Order(10)
    void repeatableReadWriterWhoseSnapshotPredatesTheFreeze_isWaitedFor_andItsRowMoves() throws Exception {
        fx.seed("rr-writer", EU, 100, 12_000_000);
        try (Connection writer = fx.server(EU).appDataSource().getConnection()) {
            writer.setAutoCommit(false);
            writer.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (var s = writer.createStatement()) {
                s.executeQuery("SELECT count(*) FROM notes WHERE user_id = 'rr-writer'").close(); // the snapshot, before the freeze
            }
            RegionMigration migration = fx.migration(null).retention(Duration.ZERO).build();
            var move = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return migration.move("rr-writer", US);
                } catch (SQLException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            await("the freeze", WAIT, () -> count(fx.admins.get(EU),
                    "SELECT count(*) FROM region_router_fence WHERE user_id = 'rr-writer'") == 1);
            // the old snapshot does not see the fence row: the write passes the guard
            try (PreparedStatement ps = writer.prepareStatement(
                    "INSERT INTO notes (id, user_id, body, region) VALUES (12000500, 'rr-writer', 'late', 'eu')")) {
                ps.executeUpdate();
            }
            writer.commit();

            assertThat(move.get(30, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(MoveState.DONE);
        }
        assertThat(fx.rows(US, "rr-writer")).as("the late write moved with the user").isEqualTo(101);
        assertThat(fx.rows(EU, "rr-writer")).isZero();
    }

    static Process startMigrator(String user, String step) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), MigratorProcess.class.getName(), user, step);
        for (Region r : List.of(US, EU)) {
            var s = fx.server(r);
            String prefix = "RR_" + r.id().toUpperCase() + "_";
            pb.environment().put(prefix + "URL", s.jdbcUrl());
            pb.environment().put(prefix + "USER", s.superUser());
            pb.environment().put(prefix + "PASSWORD", s.superPassword());
        }
        pb.redirectErrorStream(true);
        return pb.start();
    }

    static void awaitLine(Process child, String line) throws Exception {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Boolean> seen = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                    if (l.equals(line)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(seen.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("the migrator printed " + line).isTrue();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
