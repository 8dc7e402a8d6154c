package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import java.time.Duration;
import java.util.Objects;

/**
 * One member of a replica set as {@link ReplicaSetPlan} places it: its region and address, and
 * whether it is hidden, delayed or kept from voting. Priorities and votes are the plan's to decide.
 *
 * @param region the region the member runs in; becomes its {@code tags.region}
 * @param host its address, {@code host:port}
 * @param hidden whether clients never read from it ({@code hidden: true}, priority 0)
 * @param delay how far it trails the primary ({@code secondaryDelaySecs}); {@link Duration#ZERO} for none.
 *     A delayed member is hidden, has priority 0 and does not vote
 * @param voting whether it may vote; the plan may still take its vote away to respect the limit of 7 voters
 */
public record ReplicaSetMember(Region region, String host, boolean hidden, Duration delay, boolean voting) {

    /** Checks the fields. */
    public ReplicaSetMember {
        Objects.requireNonNull(region, "member.region must not be null");
        Objects.requireNonNull(host, "member.host must not be null");
        Objects.requireNonNull(delay, "member.delay must not be null");
    }

    /** Whether the member trails the primary on purpose. */
    public boolean delayed() {
        return !delay.isZero();
    }

    /** Whether the member may ever become primary: not hidden, not delayed, voting. */
    public boolean electable() {
        return !hidden && !delayed() && voting;
    }
}
