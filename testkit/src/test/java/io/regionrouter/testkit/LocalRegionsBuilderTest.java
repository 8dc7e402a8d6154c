package io.regionrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class LocalRegionsBuilderTest {

    @Test
    void build_withoutRegions_fails() {
        assertThatThrownBy(() -> LocalRegions.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("regions must declare at least one region, but was none");
    }

    @Test
    void region_withBadName_failsNamingTheValue() {
        assertThatThrownBy(() -> LocalRegions.builder().region("EU", ServerKind.REDIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region.name must be 1 to 32 lowercase letters, digits or '-', but was 'EU'");
        assertThatThrownBy(() -> LocalRegions.builder().region("", ServerKind.REDIS))
                .hasMessageContaining("but was ''");
        assertThatThrownBy(() -> LocalRegions.builder().region("a".repeat(33), ServerKind.REDIS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalRegions.builder().region(null, ServerKind.REDIS))
                .hasMessageContaining("but was null");
    }

    @Test
    void redisCluster_acceptsTwoToNineMasters_andNamesABadValue() {
        assertThat(LocalRegions.builder().region("us", ServerKind.REDIS).redisCluster(3).build().names())
                .containsExactly("us");
        assertThatThrownBy(() -> LocalRegions.builder().redisCluster(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redisCluster.masters must be in [2, 9], but was 1");
        assertThatThrownBy(() -> LocalRegions.builder().redisCluster(10))
                .hasMessage("redisCluster.masters must be in [2, 9], but was 10");
    }

    @Test
    void region_acceptsLettersDigitsAndDashes() {
        LocalRegions regions = LocalRegions.builder().region("eu-west-1", ServerKind.REDIS).build();
        assertThat(regions.names()).containsExactly("eu-west-1");
    }

    @Test
    void region_declaredTwice_fails() {
        LocalRegions.Builder b = LocalRegions.builder().region("us", ServerKind.REDIS);
        assertThatThrownBy(() -> b.region("us", ServerKind.MONGO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region.name must be unique, but 'us' is declared twice");
    }

    @Test
    void region_withoutKinds_fails() {
        assertThatThrownBy(() -> LocalRegions.builder().region("us"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region(us).kinds must name at least one ServerKind, but was none");
    }

    @Test
    void region_withRepeatedOrNullKind_fails() {
        assertThatThrownBy(() -> LocalRegions.builder().region("us", ServerKind.REDIS, ServerKind.REDIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REDIS appears twice");
        assertThatThrownBy(() -> LocalRegions.builder().region("us", ServerKind.REDIS, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain null");
    }

    @Test
    void interRegionDelay_defaultsTo40msAndRejectsNegative() {
        assertThat(LocalRegions.builder().region("us", ServerKind.REDIS).build().interRegionDelay())
                .isEqualTo(Duration.ofMillis(40)).isEqualTo(LocalRegions.DEFAULT_INTER_REGION_DELAY);
        assertThat(LocalRegions.builder().region("us", ServerKind.REDIS).interRegionDelay(Duration.ZERO).build()
                .interRegionDelay()).isZero();
        assertThatThrownBy(() -> LocalRegions.builder().interRegionDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interRegionDelay must be >= 0, but was PT-0.001S");
        assertThatThrownBy(() -> LocalRegions.builder().interRegionDelay(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void startTimeout_mustBePositive() {
        assertThatThrownBy(() -> LocalRegions.builder().startTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("startTimeout must be > 0, but was PT0S");
    }

    @Test
    void postgresSetting_rejectsBadKeysValuesAndOwnedKeys() {
        assertThatThrownBy(() -> LocalRegions.builder().postgresSetting("Bad Key", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresSetting.key must match").hasMessageContaining("'Bad Key'");
        assertThatThrownBy(() -> LocalRegions.builder().postgresSetting("work_mem", "4MB; rm -rf /"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresSetting(work_mem).value must match");
        assertThatThrownBy(() -> LocalRegions.builder().postgresSetting("port", "5432"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the testkit owns it");
        LocalRegions.builder().postgresSetting("max_wal_senders", "20").postgresSetting("search_path", "''");
    }

    @Test
    void dataRoot_mustNotBeNull() {
        assertThatThrownBy(() -> LocalRegions.builder().dataRoot(null)).isInstanceOf(NullPointerException.class);
        assertThat(LocalRegions.DEFAULT_DATA_ROOT).isEqualTo(Path.of("target", "testkit-data"));
    }

    @Test
    void region_beforeStart_failsClearly() {
        LocalRegions regions = LocalRegions.builder().region("us", ServerKind.REDIS).build();
        assertThat(regions.isStarted()).isFalse();
        assertThatThrownBy(() -> regions.region("us"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
        assertThatThrownBy(() -> regions.region("ap"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region 'ap' is not declared; declared regions are [us]");
    }

    @Test
    void close_beforeStart_isANoOp() {
        LocalRegions regions = LocalRegions.builder().region("us", ServerKind.REDIS).build();
        regions.close();
        regions.close();
        assertThat(regions.isStarted()).isFalse();
    }
}
