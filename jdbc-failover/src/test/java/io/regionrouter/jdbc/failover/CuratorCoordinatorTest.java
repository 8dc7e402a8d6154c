package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The coordinator's settings fail at build, naming the field and the value. No ZooKeeper is contacted. */
class CuratorCoordinatorTest {

    private final CuratorFramework client = CuratorFrameworkFactory.newClient("127.0.0.1:1", new RetryOneTime(1));

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void badSettings_failNamingTheFieldAndTheValue() {
        assertThatThrownBy(() -> CuratorCoordinator.builder(client).basePath("relative/path")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coordinator.basePath must be an absolute ZooKeeper path of [A-Za-z0-9_.-] names, but was \"relative/path\"");
        assertThatThrownBy(() -> CuratorCoordinator.builder(client).instanceName("a b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coordinator.instanceName must match [A-Za-z0-9_.@-]{1,128}, but was \"a b\"");
        assertThatThrownBy(() -> CuratorCoordinator.builder(client).leaseDuration(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("coordinator.leaseDuration must be in [0 ms, 600000 ms], but was -1 ms");
        assertThatThrownBy(() -> CuratorCoordinator.builder(client).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("coordinator.instanceName must be set, but was not");
    }

    @Test
    void withoutANegotiatedSession_theLeaseDefaultsTo60s_andNothingIsJoinedYet() {
        CuratorCoordinator c = CuratorCoordinator.builder(client).instanceName("app-1").build();
        assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.toString()).isEqualTo("CuratorCoordinator[/region-router/failover, instance=app-1, leaseDuration=PT1M]");
        assertThatThrownBy(() -> c.holdsLease(FailoverFixture.US)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region us was not joined; joined: []");
        c.close();
    }
}
