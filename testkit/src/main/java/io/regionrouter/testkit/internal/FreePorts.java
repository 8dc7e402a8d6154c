package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks free TCP ports on the loopback interface.
 *
 * <p>A port is picked some time before its server binds it (PostgreSQL first runs {@code initdb}),
 * and on a busy machine the kernel hands out ports of its ephemeral range to outgoing connections
 * all the time. So ports are picked at random below that range, where the kernel never puts an
 * outgoing connection, and checked by binding them; only if that fails does the kernel choose one.
 * A port is handed out once per JVM: servers started side by side pick their ports before any of
 * them binds, and a free port picked twice would leave the later server unable to start. Thread-safe.
 */
public final class FreePorts {

    /** Lowest port picked; keeps clear of the well-known and most registered ports. */
    static final int LOWEST = 15000;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The IANA ephemeral range starts here; used where the system does not say. */
    private static final int IANA_EPHEMERAL_START = 49152;
    private static final int ATTEMPTS = 50;
    private static final Random RANDOM = new SecureRandom();
    /** Every port this JVM has handed out, so that no two of its servers are given the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * Returns a port that was free on 127.0.0.1 a moment ago, below the ephemeral range if possible.
     *
     * @return a port number between 1024 and 65535
     * @throws UncheckedIOException if no port could be bound
     */
    public static int pick() {
        int highest = ephemeralStart() - 1;
        if (highest - LOWEST >= 1000) {
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = LOWEST + RANDOM.nextInt(highest - LOWEST + 1);
                if (claim(port)) {
                    return port;
                }
            }
        }
        return pickByKernel();
    }

    /**
     * Hands out a given port if it is free and was not handed out before, as for a port derived from
     * a picked one (a Redis Cluster node's bus port).
     *
     * @param port the port
     * @return whether the caller now owns the port
     */
    public static boolean claim(int port) {
        return !HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port);
    }

    /** Returns the first port of the kernel's ephemeral range. */
    static int ephemeralStart() {
        try {
            // read line by line: Files.readString trusts the size that procfs reports, which is wrong
            String[] range = Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: assume the IANA range
            return IANA_EPHEMERAL_START;
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int pickByKernel() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = bindAny();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("the kernel offered only ports already handed out"));
    }

    private static int bindAny() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on 127.0.0.1", e);
        }
    }
}
