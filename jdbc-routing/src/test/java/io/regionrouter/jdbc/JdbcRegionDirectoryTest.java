package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcRegionDirectoryTest {

    private final Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
    private final StubDataSource us = new StubDataSource("us");
    private final StubDataSource eu = new StubDataSource("eu");

    @Test
    void build_requiresLookupsAndAssignments() {
        assertThatThrownBy(() -> JdbcRegionDirectory.builder(topology).assignments(us).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("lookups must");
        assertThatThrownBy(() -> JdbcRegionDirectory.builder(topology).lookups(eu).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("assignments must be set, but was null");
    }

    @Test
    void dataSources_needEveryRegion() {
        assertThatThrownBy(() -> JdbcRegionDirectory.builder(topology).dataSources(Map.of(Region.of("us"), us)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("eu is missing");
    }

    @Test
    void tableAndTimeout_areValidated() {
        assertThatThrownBy(() -> JdbcRegionDirectory.builder(topology).table("dir; DROP TABLE x"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("table must");
        assertThatThrownBy(() -> JdbcRegionDirectory.builder(topology).queryTimeout(Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("queryTimeout must be in [1 ms, 600000 ms], but was 0 ms");
    }

    @Test
    void createTableStatement_usesTheConfiguredTable() {
        JdbcRegionDirectory dir = JdbcRegionDirectory.builder(topology).lookups(eu).assignments(us).table("global.homes").build();
        assertThat(dir.createTableStatement()).isEqualTo("CREATE TABLE IF NOT EXISTS global.homes (user_id text PRIMARY KEY,"
                + " region text NOT NULL, epoch bigint NOT NULL DEFAULT 1, updated_at timestamptz NOT NULL DEFAULT now())");
        assertThat(dir.channel()).isEqualTo("homes");
        assertThat(dir.ddl()).contains("ALTER TABLE global.homes ENABLE ALWAYS TRIGGER homes_notify");
    }

    @Test
    void assign_rejectsBadInputBeforeTouchingTheDatabase() {
        JdbcRegionDirectory dir = JdbcRegionDirectory.builder(topology).dataSources(Map.of(Region.of("us"), us, Region.of("eu"), eu))
                .build();
        assertThatThrownBy(() -> dir.assign(null, Region.of("eu"))).isInstanceOf(NullPointerException.class)
                .hasMessage("userId must not be null");
        assertThatThrownBy(() -> dir.assign("alice", Region.of("ap"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ap");
        assertThat(us.calls).hasValue(0);
    }

    @Test
    void lookup_whenNoSourceAnswers_throwsDirectoryLookupExceptionAfterTryingEachInProximityOrder() {
        us.failure = new SQLTransientConnectionException("down", "08001");
        eu.failure = new SQLTransientConnectionException("down", "08001");
        JdbcRegionDirectory dir = JdbcRegionDirectory.builder(topology).dataSources(Map.of(Region.of("us"), us, Region.of("eu"), eu))
                .build();
        assertThatThrownBy(() -> dir.lookup("alice")).isInstanceOf(DirectoryLookupException.class).hasMessageContaining("alice");
        assertThatThrownBy(() -> dir.lookupAll(List.of("alice", "bob"))).isInstanceOf(DirectoryLookupException.class);
        assertThat(eu.calls).hasValue(2);
        assertThat(us.calls).hasValue(2);
        assertThat(dir.lookupAll(List.of())).isEmpty();
    }
}
