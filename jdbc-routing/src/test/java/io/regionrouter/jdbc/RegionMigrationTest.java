package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegionMigrationTest {

    private final Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
    private final StubDataSource us = new StubDataSource("us");
    private final StubDataSource eu = new StubDataSource("eu");
    private final JdbcRegionDirectory directory = JdbcRegionDirectory.builder(topology).lookups(eu).assignments(us).build();
    private final ResidencySchema notes = ResidencySchema.builder(topology).table("notes").column("id", "bigint NOT NULL")
            .column("user_id", "text NOT NULL").column("body", "text").primaryKey("id").build();

    private RegionMigration.Builder complete() {
        return RegionMigration.builder(directory).admin(Region.of("us"), us).admin(Region.of("eu"), eu).table(notes, "user_id");
    }

    @Test
    void build_requiresEveryRegionAndATable() {
        assertThatThrownBy(() -> RegionMigration.builder(directory).admin(Region.of("us"), us).table(notes, "user_id").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("admin must be set for every region, but eu has none");
        assertThatThrownBy(() -> RegionMigration.builder(directory).admin(Region.of("us"), us).admin(Region.of("eu"), eu).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("table must be added at least once, but none was");
        assertThatThrownBy(() -> RegionMigration.builder(directory).admin(Region.of("ap"), us))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("admin region must be one of [us, eu], but was ap");
        assertThatThrownBy(() -> complete().table(notes, "user_id")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("table must be added once, but notes was added twice");
    }

    @Test
    void movers_areAddedOnceByName_andNamedInToString() {
        io.regionrouter.core.UserDataMover keys = new NamedMover("redis");
        assertThatThrownBy(() -> complete().mover(keys).mover(new NamedMover("redis")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("mover names must be unique, but redis was added twice");
        assertThatThrownBy(() -> complete().mover(null)).isInstanceOf(NullPointerException.class);
        assertThat(complete().mover(keys).mover(new NamedMover("mongo")).build().toString()).contains("stores=[redis, mongo]");
    }

    /** A mover that is never called: these tests touch no store. */
    private record NamedMover(String name) implements io.regionrouter.core.UserDataMover {
        @Override
        public long copy(String userId, Region source, Region target) {
            throw new AssertionError("not called");
        }

        @Override
        public Digest digest(String userId, Region region) {
            throw new AssertionError("not called");
        }

        @Override
        public void freeze(String userId, Region region, Duration bound) {
            throw new AssertionError("not called");
        }

        @Override
        public long holdFreeze(String userId, Region region, Digest verified) {
            throw new AssertionError("not called");
        }

        @Override
        public void unfreeze(String userId, Region region) {
            throw new AssertionError("not called");
        }

        @Override
        public void fence(String userId, Region region, Region movedTo, long epoch) {
            throw new AssertionError("not called");
        }

        @Override
        public void clearFence(String userId, Region region) {
            throw new AssertionError("not called");
        }

        @Override
        public long purge(String userId, Region region) {
            throw new AssertionError("not called");
        }
    }

    @Test
    void durations_areBounded_andTheFlipMarginIsShorterThanTheFreeze() {
        assertThatThrownBy(() -> complete().maxFreeze(Duration.ofMinutes(2))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("maxFreeze must be in [100 ms, 60000 ms], but was 120000 ms");
        assertThatThrownBy(() -> complete().retention(Duration.ofMillis(-1))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("retention must be in [0 ms,");
        assertThatThrownBy(() -> complete().maxFreeze(Duration.ofSeconds(1)).flipMargin(Duration.ofSeconds(1)).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("flipMargin must be shorter than maxFreeze (PT1S), but was PT1S");
    }

    @Test
    void movedTable_needsADeclaredUserColumnAndAPrimaryKey() {
        assertThatThrownBy(() -> new MovedTable(notes, "owner")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("userColumn must be a declared column of notes [id, user_id, body], but was owner");
        ResidencySchema keyless = ResidencySchema.builder(topology).table("logs").column("user_id", "text").build();
        assertThatThrownBy(() -> new MovedTable(keyless, "user_id")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("must declare a primary key");
    }

    @Test
    void move_rejectsBadInputBeforeTouchingADatabase() {
        RegionMigration migration = complete().build();
        assertThatThrownBy(() -> migration.move("alice", Region.of("ap"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must be one of [us, eu], but was ap");
        assertThatThrownBy(() -> migration.move("", Region.of("us"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(us.calls).hasValue(0);
        assertThat(eu.calls).hasValue(0);
    }

    @Test
    void guardStatements_buildTheRegionIn_andOneTriggerPerTable() {
        List<String> ddl = MoveGuard.statements(Region.of("eu"), "public", "region_directory", List.of(new MovedTable(notes, "user_id")), "app");
        assertThat(ddl).anySatisfy(s -> assertThat(s).contains("IF FOUND AND home <> 'eu' THEN")
                .contains("FROM public.region_router_fence WHERE").contains("FROM public.region_directory WHERE")
                .doesNotContain("SET search_path"));
        assertThat(ddl).contains("REVOKE ALL ON public.region_router_fence FROM app",
                "CREATE TRIGGER notes_move_guard BEFORE INSERT OR UPDATE OR DELETE ON notes FOR EACH ROW EXECUTE FUNCTION notes_move_guard()");
    }

    @Test
    void sqlStates_areFoundInTheCauseChain() {
        SQLException frozen = new SQLException("frozen", MoveGuard.SQLSTATE_FROZEN);
        assertThat(MoveGuard.isFrozen(new RuntimeException(frozen))).isTrue();
        assertThat(MoveGuard.isMovedAway(frozen)).isFalse();
        SQLException chained = new SQLException("batch", "42000");
        chained.setNextException(new SQLException("moved", MoveGuard.SQLSTATE_MOVED_AWAY));
        assertThat(MoveGuard.isMovedAway(chained)).isTrue();
        assertThat(MoveGuard.isFrozen(null)).isFalse();
    }
}
