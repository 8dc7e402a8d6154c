package io.regionrouter.examples.spring;

import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.ResidencySchema;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The example's tables, as its migrations create them: the region directory in the primary
 * region, and the {@code profiles} table, with the database's own residency rule, in every region.
 * The application never runs this; it connects as an application role that may not change the
 * schema. {@link DemoProfileLauncher} and the tests run it, as the owner, on embedded regions; a
 * real application runs the same DDL from its migration tool.
 */
public final class ProfileSchema {

    private ProfileSchema() {
    }

    /**
     * Creates the tables where they are missing.
     *
     * @param topology the topology the application runs with
     * @param asOwner each region's database by region id, connected as the role that will own the tables
     * @param appRole the application role, which is granted reads and writes only
     * @throws SQLException if a statement fails
     */
    public static void create(Topology topology, Map<String, DataSource> asOwner, String appRole) throws SQLException {
        DataSource primary = database(asOwner, topology.primary());
        JdbcRegionDirectory.builder(topology).lookups(primary).assignments(primary).build().createTable(primary);
        ResidencySchema profiles = ResidencySchema.builder(topology)
                .table("profiles")
                .column("user_id", "text NOT NULL")
                .column("display_name", "text NOT NULL")
                .primaryKey("user_id")
                .appRole(appRole)
                .build();
        for (Region region : topology.regions()) {
            profiles.apply(database(asOwner, region), region);
        }
    }

    private static DataSource database(Map<String, DataSource> asOwner, Region region) {
        DataSource database = asOwner.get(region.id());
        if (database == null) {
            throw new IllegalArgumentException("asOwner must have a database for every region of the topology "
                    + asOwner.keySet() + ", but has none for " + region);
        }
        return database;
    }
}
