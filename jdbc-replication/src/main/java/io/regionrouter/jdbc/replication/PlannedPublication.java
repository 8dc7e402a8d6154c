package io.regionrouter.jdbc.replication;

import io.regionrouter.core.Region;
import java.util.List;
import java.util.Objects;

/**
 * A publication that {@link LogicalReplication} keeps in one region's database.
 *
 * @param region the publishing region
 * @param name the publication name
 * @param tables the published tables
 * @param homeRegions for REGULATED tables, the home regions whose rows are published (the row
 *        filter is {@code region IN (...)} of these); empty for the GLOBAL publication
 */
public record PlannedPublication(Region region, String name, List<ReplicatedTable> tables, List<Region> homeRegions) {

    /** Copies the lists. */
    public PlannedPublication {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(name, "name");
        tables = List.copyOf(tables);
        homeRegions = List.copyOf(homeRegions);
    }

    /** Whether this publication carries row-filtered REGULATED tables. */
    public boolean regulated() {
        return !homeRegions.isEmpty();
    }
}
