package io.regionrouter.spring.boot;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.ResidencySchema;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema migrations for every region's database, as that region's owner role
 * ({@code region-router.jdbc.regions.<id>.owner-username}): first the directory table with its
 * epoch and notification trigger (when the directory is the jdbc one), then Flyway's migrations, the
 * same in each region, with the placeholder {@code ${region}} set to the database's region, then the
 * residency DDL of every {@link ResidencySchema} bean, so that each database enforces which regions'
 * rows it may hold. Boot's own Flyway auto-configuration would run against the routing {@code DataSource}, which
 * has no region outside a request; this replaces it.
 *
 * <p>Runs at startup unless {@code region-router.jdbc.migrations.enabled=false}; {@link #migrate()}
 * runs it on demand. Regions run one after the other, in the topology's order; the first failure
 * stops the rest and fails the startup, naming the region.
 */
public final class RegionMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(RegionMigrations.class);

    private final Topology topology;
    private final RegionRouterJdbcProperties properties;
    private final List<ResidencySchema> schemas;
    private final JdbcRegionDirectory directory;

    RegionMigrations(Topology topology, RegionRouterJdbcProperties properties, List<ResidencySchema> schemas,
            JdbcRegionDirectory directory) {
        this.topology = topology;
        this.properties = properties;
        this.schemas = schemas;
        this.directory = directory;
    }

    /**
     * Migrates every region's database, then applies the residency DDL.
     *
     * @return the migrations applied per region, by version
     * @throws IllegalStateException naming the region whose migration failed
     */
    public Map<Region, List<String>> migrate() {
        Map<Region, List<String>> applied = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            RegionRouterJdbcProperties.Database db = properties.getRegions().get(region.id());
            if (db == null) {
                continue;
            }
            applied.put(region, migrate(region, db));
        }
        return applied;
    }

    private List<String> migrate(Region region, RegionRouterJdbcProperties.Database db) {
        String owner = db.getOwnerUsername() != null ? db.getOwnerUsername() : db.getUsername();
        String password = db.getOwnerUsername() != null ? db.getOwnerPassword() : db.getPassword();
        if (owner == null) {
            throw new InvalidConfigurationException("region-router.jdbc.regions." + region + ".owner-username", null,
                    "region-router.jdbc.regions." + region + ".owner-username must be set for migrations, but was null");
        }
        Flyway flyway = Flyway.configure().dataSource(url(region, db), owner, password)
                .locations(properties.getMigrations().getLocations().toArray(String[]::new))
                .placeholders(Map.of("region", region.id()))
                // the directory table comes first, so a new database is not empty when Flyway first looks
                .baselineOnMigrate(true).baselineVersion("0").load();
        try {
            DataSource ownerDataSource = flyway.getConfiguration().getDataSource();
            if (directory != null) {
                directory.createTable(ownerDataSource);
            }
            MigrateResult result = flyway.migrate();
            List<String> versions = new ArrayList<>();
            result.migrations.forEach(m -> versions.add(m.version));
            LOG.info("region {}: {} migration(s) applied as {} {}", region, versions.size(), owner, versions);
            for (ResidencySchema schema : schemas) {
                schema.apply(ownerDataSource, region);
            }
            return versions;
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("region " + region + ": the directory table, migrations or residency DDL failed as " + owner + ": "
                    + e.getMessage(), e);
        }
    }

    private static String url(Region region, RegionRouterJdbcProperties.Database db) {
        String url = db.getUrl();
        String sslMode = RegionRouterJdbcAutoConfiguration.poolConfig(region.id(), db).sslMode();
        if (sslMode == null || url.contains("sslmode=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "sslmode=" + sslMode;
    }

    @Override
    public String toString() {
        return "RegionMigrations" + properties.getMigrations().getLocations() + " in " + properties.getRegions().keySet();
    }
}
