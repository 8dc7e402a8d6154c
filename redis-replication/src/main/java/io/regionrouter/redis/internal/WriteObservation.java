package io.regionrouter.redis.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RedisObservation;
import io.regionrouter.redis.Version;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The observations of one fan-out write: the write itself and one child per target region. A child
 * stops when its region's part is settled (acked, failed, hinted or not hinted); the write stops when
 * its ack policy is met or it fails. {@link #NONE} does nothing, for a no-op registry.
 */
class WriteObservation {

    private static final String STORE = RedisObservation.Keys.STORE.asString();

    /** Observes nothing. */
    static final WriteObservation NONE = new WriteObservation();

    private final Observation write;
    private final Map<Region, Observation> regions;
    private final HintTraces traces;
    private final String key;
    private final Version version;

    private WriteObservation() {
        this.write = null;
        this.regions = Map.of();
        this.traces = null;
        this.key = null;
        this.version = null;
    }

    private WriteObservation(Observation write, Map<Region, Observation> regions, HintTraces traces, String key,
            Version version) {
        this.write = write;
        this.regions = regions;
        this.traces = traces;
        this.key = key;
        this.version = version;
    }

    /**
     * Starts the observations of a write, or returns {@link #NONE} when the registry is a no-op.
     *
     * @param traces the router's registry, and where a hinted region's part is remembered for its replay
     * @param key the key written
     * @param version the version written
     * @param targets the target regions
     * @param policy the ack policy
     * @return the observations
     */
    static WriteObservation start(HintTraces traces, String key, Version version, List<Region> targets,
            AckPolicy policy) {
        ObservationRegistry registry = traces.registry();
        if (registry.isNoop()) {
            return NONE;
        }
        Observation write = Observation.createNotStarted(RedisObservation.WRITE.getName(), registry)
                .contextualName("redis write")
                .lowCardinalityKeyValue(STORE, Store.REDIS.name())
                .lowCardinalityKeyValue(RedisObservation.Keys.ACK.asString(), policy.name().toLowerCase(Locale.ROOT))
                .highCardinalityKeyValue(RedisObservation.Keys.KEY.asString(), key).start();
        Map<Region, Observation> children = new ConcurrentHashMap<>();
        // in the write's scope: a tracer makes the current span the parent when it differs from the given one
        try (Observation.Scope scope = write.openScope()) {
            for (Region region : targets) {
                children.put(region, Observation.createNotStarted(RedisObservation.WRITE_REGION.getName(), registry)
                        .contextualName("redis write " + region.id()).parentObservation(write)
                        .lowCardinalityKeyValue(STORE, Store.REDIS.name())
                        .lowCardinalityKeyValue(RedisObservation.Keys.REGION.asString(), region.id()).start());
            }
        }
        return new WriteObservation(write, children, traces, key, version);
    }

    /**
     * Opens the scope of a region's part on the current thread, until the returned scope closes, so
     * what is logged meanwhile (on a reply's thread too) carries the region and the trace.
     *
     * @param region a target region
     * @return the scope; one that does nothing when not observed or already settled
     */
    RegionScope openScope(Region region) {
        if (write == null) {
            return RegionScope.NONE;
        }
        Observation child = regions.get(region);
        if (child == null) {
            return RegionScope.NONE;
        }
        Observation.Scope scope = child.openScope();
        return scope::close;
    }

    /** An open scope of a region's part. */
    interface RegionScope extends AutoCloseable {
        /** Does nothing. */
        RegionScope NONE = () -> { };

        @Override
        void close();
    }

    /** Settles a region's part; the first call for a region wins. */
    void region(Region region, String outcome, Throwable error) {
        if (write == null) {
            return;
        }
        Observation child = regions.remove(region);
        if (child == null) {
            return;
        }
        child.lowCardinalityKeyValue(RedisObservation.Keys.OUTCOME.asString(), outcome);
        if (error != null) {
            child.error(error);
        }
        child.stop();
        if (outcome.equals("hinted")) {
            // kept until the replay: without its parent, so the write and the request above it (an
            // HTTP request's context holds the request itself) are not kept with it
            child.getContext().setParentObservation(null);
            traces.queued(region, key, version, child);
        }
    }

    /** Ends the write. */
    void finished(Throwable error) {
        if (write == null) {
            return;
        }
        write.lowCardinalityKeyValue(RedisObservation.Keys.OUTCOME.asString(), error == null ? "ok" : "error");
        if (error != null) {
            write.error(error);
        }
        write.stop();
    }
}
