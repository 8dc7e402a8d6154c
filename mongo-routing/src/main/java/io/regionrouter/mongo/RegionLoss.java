package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a replica set can still do when every member in some regions is gone.
 *
 * @param lost the regions whose members are all unreachable
 * @param votesLeft the votes of the members that remain
 * @param votesNeeded the votes an election needs: a strict majority of all votes
 * @param primaryElectable whether the remaining members can elect a primary: enough votes, and at
 *     least one remaining member with priority above 0 that holds data
 * @param majorityWritesAcknowledged whether {@code w: "majority"} writes can still be acknowledged:
 *     a primary, and enough remaining voting members that hold data and are not delayed
 * @param primaryRegions the regions of the remaining electable members with the highest priority,
 *     where the primary would go; more than one when priorities tie across regions; empty when no
 *     primary can be elected
 */
public record RegionLoss(Set<Region> lost, int votesLeft, int votesNeeded, boolean primaryElectable,
        boolean majorityWritesAcknowledged, Set<Region> primaryRegions) {

    /** Copies the sets. */
    public RegionLoss {
        lost = Set.copyOf(lost);
        primaryRegions = Set.copyOf(primaryRegions);
    }

    @Override
    public String toString() {
        String regions = lost.stream().map(Region::id).sorted().collect(Collectors.joining(" + "));
        StringBuilder sb = new StringBuilder("lose ").append(regions).append(": ").append(votesLeft).append(votesLeft == 1 ? " vote" : " votes")
                .append(" left, ").append(votesNeeded).append(" needed, ");
        if (!primaryElectable) {
            return sb.append("no primary, no writes").toString();
        }
        sb.append("primary in ").append(primaryRegions.stream().map(Region::id).sorted().collect(Collectors.joining(" or ")));
        return sb.append(majorityWritesAcknowledged ? ", majority writes acknowledged" : ", majority writes NOT acknowledged")
                .toString();
    }
}
