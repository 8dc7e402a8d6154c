package io.regionrouter.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void pick_returnsABindablePort_belowTheEphemeralRange() throws Exception {
        int port = FreePorts.pick();
        assertThat(port).as("outgoing connections never take a port below the ephemeral range")
                .isBetween(FreePorts.LOWEST, FreePorts.ephemeralStart() - 1);
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void isFree_isFalseForABoundPort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(FreePorts.isFree(s.getLocalPort())).isFalse();
        }
    }

    @Test
    void pick_neverHandsOutAPortTwice_evenWhileNoServerHasBoundIt() {
        // servers started side by side pick before any binds: 2,000 picks from about 17,000 ports
        // would repeat about a hundred times if picks were independent
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            assertThat(seen.add(FreePorts.pick())).as("pick %d returned a port handed out before", i).isTrue();
        }
    }
}
