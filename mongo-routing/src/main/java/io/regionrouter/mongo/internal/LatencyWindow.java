package io.regionrouter.mongo.internal;

import com.mongodb.connection.ServerDescription;

import java.util.ArrayList;
import java.util.List;

/**
 * The driver's latency window: the members whose round-trip time is within {@code threshold} of the
 * fastest member's, bounds included.
 */
public final class LatencyWindow {

    private LatencyWindow() {
    }

    /** Returns the members of {@code servers} inside the window, in their original order. */
    public static List<ServerDescription> select(List<ServerDescription> servers, long thresholdNanos) {
        if (servers.size() <= 1) {
            return List.copyOf(servers);
        }
        long fastest = Long.MAX_VALUE;
        for (ServerDescription server : servers) {
            fastest = Math.min(fastest, server.getRoundTripTimeNanos());
        }
        List<ServerDescription> inside = new ArrayList<>();
        for (ServerDescription server : servers) {
            if (server.getRoundTripTimeNanos() - fastest <= thresholdNanos) {
                inside.add(server);
            }
        }
        return List.copyOf(inside);
    }
}
