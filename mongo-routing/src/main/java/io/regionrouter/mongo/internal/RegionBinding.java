package io.regionrouter.mongo.internal;

import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Region;
import io.regionrouter.core.StoreHealth;
import io.regionrouter.mongo.ResidencyGuard;

import java.util.Objects;

/**
 * What a region-bound proxy knows about the calls it passes on.
 *
 * @param region the region of the cluster the calls go to
 * @param userId the user the database was routed for, {@code null} if none; named in exceptions
 * @param guard checks written documents, {@code null} for none
 * @param health told the verdict of every call that talks to the server, {@code null} for none
 * @param writeCheck runs before every document write and throws to refuse it, {@code null} for none
 *     (a database routed for a read may sit in a region that holds a read-only copy)
 * @param sent the client's {@link SentCommands}, to tell a write that was never sent; {@code null}
 *     when the client is not ours, and then every write that got no answer may have been applied
 * @param observations where calls are observed, {@code null} when not (no registry, or a no-op one)
 * @param exact whether the region was named by the caller: then a call is refused while the region's
 *     store is DOWN, as a named region is everywhere (never another region, never a DOWN one)
 */
public record RegionBinding(Region region, String userId, ResidencyGuard guard, StoreHealth health,
                            Runnable writeCheck, SentCommands sent, ObservationRegistry observations, boolean exact) {

    /** A binding whose region was chosen by routing. */
    public RegionBinding(Region region, String userId, ResidencyGuard guard, StoreHealth health, Runnable writeCheck,
            SentCommands sent, ObservationRegistry observations) {
        this(region, userId, guard, health, writeCheck, sent, observations, false);
    }

    /** Validates the region. */
    public RegionBinding {
        Objects.requireNonNull(region, "region");
    }

    /** A binding that only guards documents, for {@link ResidencyGuard#wrap}. */
    public static RegionBinding guardOnly(ResidencyGuard guard) {
        return new RegionBinding(guard.target(), null, guard, null, null, null, null);
    }
}
