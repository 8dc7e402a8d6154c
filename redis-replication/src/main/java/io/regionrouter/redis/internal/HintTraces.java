package io.regionrouter.redis.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.Store;
import io.regionrouter.redis.RedisObservation;
import io.regionrouter.redis.Version;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Links the replay of a hint to the write that queued it: the region's part of the write (its
 * {@link RedisObservation#WRITE_REGION} observation, outcome {@code hinted}) is remembered by
 * (region, key, version), and the replay of that hint becomes a
 * {@link RedisObservation#HINT_REPLAY} observation under it, in the write's trace.
 *
 * <p>What it remembers is in memory, at most {@value #MAX_REMEMBERED} hints, the oldest forgotten
 * first, each a stopped observation detached from its parent (a tracer already gave it its span): a hint replayed by another instance, after a restart or after that many newer hints is
 * replayed unobserved. With a no-op registry it remembers nothing. Thread-safe.
 */
public final class HintTraces {

    static final int MAX_REMEMBERED = 10_000;

    private final ObservationRegistry registry;
    private final Map<String, Observation> queued = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Observation> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /**
     * Creates the links for a registry.
     *
     * @param registry the router's registry
     */
    public HintTraces(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** The registry writes are observed in. */
    ObservationRegistry registry() {
        return registry;
    }

    /** Remembers the observation of a region's part of a write whose hint was queued. */
    void queued(Region target, String key, Version version, Observation regionPart) {
        synchronized (queued) {
            queued.put(id(target, key, version), regionPart);
        }
    }

    /**
     * Observes the replay of a hint, under the write that queued it if it is remembered.
     *
     * @param target the region replayed to
     * @param key the key's bytes
     * @param version the hinted version
     * @param outcome {@code replayed} or {@code rejected}
     * @param error the region's refusal, or null
     */
    public void replayed(Region target, byte[] key, Version version, String outcome, Throwable error) {
        if (registry.isNoop() || key == null) {
            return;
        }
        Observation write;
        synchronized (queued) {
            write = queued.remove(id(target, new String(key, StandardCharsets.UTF_8), version));
        }
        if (write == null) {
            return;
        }
        Observation replay = Observation.createNotStarted(RedisObservation.HINT_REPLAY.getName(), registry)
                .contextualName("redis hint replay " + target.id()).parentObservation(write)
                .lowCardinalityKeyValue(RedisObservation.Keys.STORE.asString(), Store.REDIS.name())
                .lowCardinalityKeyValue(RedisObservation.Keys.REGION.asString(), target.id())
                .lowCardinalityKeyValue(RedisObservation.Keys.OUTCOME.asString(), outcome).start();
        if (error != null) {
            replay.error(error);
        }
        replay.stop();
    }

    private static String id(Region target, String key, Version version) {
        return target.id() + '\u0000' + version.timestamp() + '\u0000' + version.writer() + '\u0000' + key;
    }
}
