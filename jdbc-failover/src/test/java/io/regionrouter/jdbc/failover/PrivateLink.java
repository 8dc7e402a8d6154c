package io.regionrouter.jdbc.failover;

import java.io.IOException;
import java.net.ServerSocket;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/** A TCP proxy of one instance's own to a server on 127.0.0.1, to cut that instance alone (a one-sided partition). */
final class PrivateLink implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    final int port;

    PrivateLink(int targetPort) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        reactor = new NioReactor();
        crusher = TcpCrusherBuilder.builder().withReactor(reactor).withBindAddress("127.0.0.1", port)
                .withConnectAddress("127.0.0.1", targetPort).buildAndOpen();
    }

    /** The URL of a server reached through this link, from the server's own URL and port. */
    String url(String serverUrl, int serverPort) {
        return serverUrl.replace("127.0.0.1:" + serverPort + "/", "127.0.0.1:" + port + "/");
    }

    /** Freezes the link: connections hang without a reset, new ones are not served. */
    void partition() {
        crusher.freeze();
    }

    void heal() {
        crusher.unfreeze();
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }
}
