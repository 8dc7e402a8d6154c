package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import java.time.Instant;
import java.util.Objects;

/**
 * The recorded state of one user's move.
 *
 * @param userId the user
 * @param source the region the user moves from
 * @param target the region the user moves to
 * @param state the last step completed
 * @param startEpoch the user's directory epoch when the move began; the flip's compare-and-set expects it
 * @param flipEpoch the epoch the flip set, or 0 before the flip
 * @param retainUntil when the source's copies may be deleted, or null before {@link MoveState#FENCED}
 */
public record MoveStatus(String userId, Region source, Region target, MoveState state, long startEpoch, long flipEpoch,
        Instant retainUntil) {

    /** Checks the required fields. */
    public MoveStatus {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
    }
}
