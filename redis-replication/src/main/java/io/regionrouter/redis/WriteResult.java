package io.regionrouter.redis;

import java.util.Objects;
import java.util.Optional;

/**
 * What a write did, as far as the regions that acknowledged it can tell: whether it was applied, or
 * was already superseded by a newer version, and by which. Immutable.
 *
 * <p>A write is superseded when a region that acknowledged it already held a newer version (another
 * writer's later write, or a delete): last-write-wins then keeps that newer version everywhere, and
 * this write's value will not be read. Under ack {@code LOCAL} only the first region has answered when
 * the result is known, so a region that answered later may still supersede it.
 *
 * @param version the version of this write
 * @param supersededBy the newest version that an acknowledging region already held, if it was newer
 */
public record WriteResult(Version version, Optional<Version> supersededBy) {

    /** Validates the fields. */
    public WriteResult {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(supersededBy, "supersededBy");
    }

    /** Returns whether the write was applied in every region that acknowledged it. */
    public boolean applied() {
        return supersededBy.isEmpty();
    }

    /** Returns whether a region that acknowledged the write already held a newer version. */
    public boolean superseded() {
        return supersededBy.isPresent();
    }
}
