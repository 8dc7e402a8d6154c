package io.regionrouter.redis.internal;

import io.regionrouter.core.Region;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a region whose Redis came back empty (restarted without persistence, or flushed): each region
 * holds a marker, {@code <prefix>epoch}, set by the first instance that finds none; this instance
 * remembers the value it saw, and a marker that disappears or changes means the data went with it. The
 * region is then handed to the repair. The check travels on the probe's connection
 * ({@link RegionConnection#marker}), never on the data connection, and never blocks its caller: one
 * check per region at a time, each bounded. Thread-safe.
 */
public final class EmptyRegionDetector {

    private static final Logger LOG = LoggerFactory.getLogger(EmptyRegionDetector.class);

    private final Region local;
    private final List<Region> regions;
    private final Map<Region, RegionConnection> connections;
    private final RedisHealth health;
    private final RepairRequests repairs;
    private final byte[] markerKey;
    private final Duration callTimeout;
    private final Map<Region, String> markers = new ConcurrentHashMap<>();
    private final Set<Region> markerChecks = ConcurrentHashMap.newKeySet();

    /** Creates the detector. */
    public EmptyRegionDetector(Region local, List<Region> regions, Map<Region, RegionConnection> connections,
            RedisHealth health, String keyPrefix, Duration commandTimeout, RepairRequests repairs) {
        this.local = local;
        this.regions = List.copyOf(regions);
        this.connections = connections;
        this.health = health;
        this.repairs = repairs;
        this.markerKey = (keyPrefix + "epoch").getBytes(StandardCharsets.UTF_8);
        this.callTimeout = commandTimeout.multipliedBy(2);
    }

    /** Checks every region that is UP, in the background; called from the replay rounds. */
    public void check() {
        for (Region region : regions) {
            if (!health.isUp(region) || !markerChecks.add(region)) {
                continue; // never blocks the caller, never more than one check per region at a time
            }
            CompletableFuture<String> seen;
            try {
                seen = connections.get(region).marker(markerKey,
                                UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII))
                        .thenApply(v -> v == null ? null : new String(v, StandardCharsets.US_ASCII));
            } catch (RuntimeException e) {
                seen = CompletableFuture.failedFuture(e);
            }
            seen.orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((now, error) -> {
                markerChecks.remove(region);
                if (error != null || now == null) {
                    return;
                }
                String remembered = markers.put(region, now);
                if (remembered != null && !remembered.equals(now)) {
                    LOG.error("[redis {}] the Redis of region {} came back EMPTY (restarted without persistence, or "
                            + "flushed): every key it held is lost there; a repair of region {} is started", local,
                            region, region);
                    repairs.request(region, "its Redis came back empty");
                }
            });
        }
    }
}
