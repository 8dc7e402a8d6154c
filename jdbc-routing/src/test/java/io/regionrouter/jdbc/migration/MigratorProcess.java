package io.regionrouter.jdbc.migration;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import io.regionrouter.jdbc.RegionMigration;
import io.regionrouter.jdbc.ResidencySchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrating process for the kill tests, run in its own JVM: moves a user from eu to us with the
 * same tables as {@link MoveFixture}, prints {@code STEP <state>} after each recorded step, and
 * stops dead (no further work) once it reached the step it was told to, so its parent can kill it
 * there. Connection settings come from the environment ({@code RR_<REGION>_URL}, {@code _USER},
 * {@code _PASSWORD}, and for the user's keys and documents {@code _REDIS}, {@code _MONGO}) so no
 * password appears on a command line.
 */
public final class MigratorProcess {

    private MigratorProcess() {
    }

    public static void main(String[] args) throws Exception {
        String user = args[0];
        String stopAt = args[1];
        Map<Region, DataSource> admins = new LinkedHashMap<>();
        for (Region r : MoveFixture.TOPOLOGY.regions()) {
            String prefix = "RR_" + r.id().toUpperCase() + "_";
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(System.getenv(prefix + "URL"));
            ds.setUser(System.getenv(prefix + "USER"));
            ds.setPassword(System.getenv(prefix + "PASSWORD"));
            admins.put(r, ds);
        }
        JdbcRegionDirectory directory = JdbcRegionDirectory.builder(MoveFixture.TOPOLOGY).dataSources(admins).build();
        ResidencySchema notes = MoveFixture.notesSchema();
        RegionMigration.Builder b = RegionMigration.builder(directory).table(notes, "user_id").retention(Duration.ZERO)
                .listener((status, detail) -> {
                    System.out.println("STEP " + status.state());
                    System.out.flush();
                    if (status.state().name().equals(stopAt)) {
                        try {
                            Thread.sleep(Long.MAX_VALUE); // wait here to be killed
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        admins.forEach(b::admin);
        // with RR_<REGION>_REDIS and _MONGO, the user's keys and documents move too
        Map<Region, String> redis = new LinkedHashMap<>();
        Map<Region, String> mongo = new LinkedHashMap<>();
        for (Region r : MoveFixture.TOPOLOGY.regions()) {
            String prefix = "RR_" + r.id().toUpperCase() + "_";
            if (System.getenv(prefix + "REDIS") != null) {
                redis.put(r, System.getenv(prefix + "REDIS"));
                mongo.put(r, System.getenv(prefix + "MONGO"));
            }
        }
        if (!redis.isEmpty()) {
            b.mover(StoreFixture.redisMover(redis)).mover(StoreFixture.mongoMover(StoreFixture.migrationClients(mongo)));
        }
        b.build().move(user, MoveFixture.US);
        System.out.println("STEP END");
    }
}
