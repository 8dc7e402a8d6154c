package io.regionrouter.mongo.internal;

import io.regionrouter.core.Region;

/**
 * A replica-set member as elections and write concerns see it.
 *
 * @param host its address
 * @param region its region tag
 * @param votes 0 or 1
 * @param priority its election priority; 0 never becomes primary
 * @param arbiter whether it votes without holding data
 * @param delayed whether it trails the primary on purpose, so it acknowledges majority writes late
 */
public record SetMember(String host, Region region, int votes, double priority, boolean arbiter, boolean delayed) {

    /** Whether it may become primary. */
    public boolean electable() {
        return votes > 0 && priority > 0 && !arbiter && !delayed;
    }

    /** Whether it counts towards a {@code w: "majority"} acknowledgement in time. */
    public boolean acknowledgesMajorityWrites() {
        return votes > 0 && !arbiter && !delayed;
    }
}
