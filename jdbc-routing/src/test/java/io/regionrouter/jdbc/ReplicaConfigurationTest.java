package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.internal.ReplicaGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaConfigurationTest {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final RegionPoolConfig CONFIG = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/app")
            .username("app").password("secret").build();

    final RegionHealth health = RegionHealth.builder().build();
    final RegionRouter router = RegionRouter.builder(Topology.builder().regions("us", "eu").primary("us").local("eu").build())
            .directory(StaticRegionDirectory.builder().build()).health(health).build();

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void replica_refusesUnknownRegion_badName_andDuplicateName() {
        RegionalDataSources.Builder b = RegionalDataSources.builder(router);

        assertThatThrownBy(() -> b.replica(Region.of("ap"), "ap-1", CONFIG)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("replicas.ap: region must be one of the topology's regions [us, eu], but was ap");
        assertThatThrownBy(() -> b.replica(EU, "EU_1", CONFIG))
                .hasMessage("replicas.eu.name must match [a-z0-9-]{1,32}, but was \"EU_1\"");
        b.replica(EU, "r1", CONFIG);
        assertThatThrownBy(() -> b.replica(US, "r1", CONFIG))
                .hasMessage("replicas.us.name must be unique across regions, but r1 was added twice");
        assertThatThrownBy(() -> b.replica(US, "r2", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("replicas.us.r2: config must not be null");
        assertThatThrownBy(() -> RegionalJdbcConfig.builder().replicaReads(null)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("replicaReads must not be null");
        assertThatThrownBy(() -> deprecatedReplicaReads(b, null)).isInstanceOf(NullPointerException.class);
    }

    @SuppressWarnings("deprecation")
    private static RegionalDataSources.Builder deprecatedReplicaReads(RegionalDataSources.Builder b, ReplicaReadConfig config) {
        return b.replicaReads(config);
    }

    @Test
    void replicaPool_isNamedAfterRegionAndReplica() {
        assertThat(ReplicaGroup.poolName(new ReplicaGroup.Spec(EU, "r1", CONFIG))).isEqualTo("region-router-eu-replica-r1");
    }

    @Test
    void dataSourcesWithoutReplicas_answerReplicaQueriesClearly() {
        RegionalDataSources pg = RegionalDataSources.builder(router).region(US, CONFIG).region(EU, CONFIG)
                .config(RegionalJdbcConfig.builder().startup(StartupMode.LAZY).build()).healthProbes(false).build();
        try {
            assertThat(pg.replicas(EU)).isEmpty();
            assertThatThrownBy(() -> pg.replicaPool(EU, "r1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("region eu has no replica named r1; no replicas are configured");
        } finally {
            pg.close();
        }
    }
}
