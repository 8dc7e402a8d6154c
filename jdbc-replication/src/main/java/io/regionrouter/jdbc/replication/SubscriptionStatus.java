package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.time.Instant;
import java.util.Optional;

/**
 * One subscription of a region's database, from {@code pg_subscription} and
 * {@code pg_stat_subscription}.
 *
 * @param region the subscribing region
 * @param name the subscription
 * @param enabled whether it is enabled
 * @param workerRunning whether its apply worker runs
 * @param lastMessageSent when the publisher sent the last message received
 * @param lastMessageReceived when the last message was received
 * @param latestEndTime when the last WAL position reported back to the publisher was reported
 */
public record SubscriptionStatus(Region region, String name, boolean enabled, boolean workerRunning,
        Optional<Instant> lastMessageSent, Optional<Instant> lastMessageReceived, Optional<Instant> latestEndTime) {
}
