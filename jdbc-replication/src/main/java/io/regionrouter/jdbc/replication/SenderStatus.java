package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.time.Duration;
import java.util.Optional;

/**
 * One WAL sender of a region's database, from {@code pg_stat_replication}: a logical subscription
 * or a streaming standby that is connected right now.
 *
 * <p>PostgreSQL reports the lag columns as NULL once a receiver has caught up and stayed idle for a
 * while; {@link #caughtUp()} tells that case apart from an unknown lag.
 *
 * @param region the region whose database sends
 * @param applicationName the receiver's {@code application_name}: the subscription name for logical replication
 * @param slotName the slot the sender streams from, or null
 * @param logical whether the slot is logical
 * @param state the sender state, such as {@code streaming} or {@code catchup}
 * @param writeLag time until the receiver wrote recent WAL, if measured
 * @param flushLag time until the receiver flushed recent WAL, if measured
 * @param replayLag time until the receiver applied recent WAL, if measured
 * @param replayLagBytes WAL bytes between the sender's current position and what the receiver applied, or -1
 * @param caughtUp whether the receiver has applied everything sent
 */
public record SenderStatus(Region region, String applicationName, String slotName, boolean logical, String state,
        Optional<Duration> writeLag, Optional<Duration> flushLag, Optional<Duration> replayLag, long replayLagBytes,
        boolean caughtUp) {

    /** The replay lag, or zero when it is not measured because the receiver has caught up. */
    public Optional<Duration> effectiveReplayLag() {
        if (replayLag.isPresent()) {
            return replayLag;
        }
        return caughtUp ? Optional.of(Duration.ZERO) : Optional.empty();
    }
}
