package io.regionrouter.mongo;

import java.util.List;
import java.util.stream.Collectors;

/**
 * For each loss of one region (and, on request, of each pair of regions), what a replica set can
 * still do. See {@link ReplicaSetSurvivability}.
 *
 * @param losses one entry per region, or pair of regions, lost
 */
public record SurvivabilityReport(List<RegionLoss> losses) {

    /** Copies the list. */
    public SurvivabilityReport {
        losses = List.copyOf(losses);
    }

    /** Whether {@code w: "majority"} writes go on after the loss of any one region. */
    public boolean survivesAnySingleRegionLoss() {
        return losses.stream().filter(l -> l.lost().size() == 1).allMatch(RegionLoss::majorityWritesAcknowledged);
    }

    /** The losses after which {@code w: "majority"} writes stop. */
    public List<RegionLoss> stopsMajorityWrites() {
        return losses.stream().filter(l -> !l.majorityWritesAcknowledged()).toList();
    }

    /** One line per loss. */
    @Override
    public String toString() {
        return losses.stream().map(RegionLoss::toString).collect(Collectors.joining("\n"));
    }
}
