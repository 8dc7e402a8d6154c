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
}
