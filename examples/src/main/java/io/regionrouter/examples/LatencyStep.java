package io.regionrouter.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The same point read of an eu user's profile, seen from eu: through the router (served by eu) and
 * from a single far primary in us, 40 ms away each way, as an application with one database would
 * do it. Both are measured over the same bounded number of reads.
 */
final class LatencyStep implements DemoStep {

    static final int READS = 50;
    private static final int WARM_UP = 5;
    /** The router must be at least this many times faster at p50; geography alone makes it far more. */
    private static final double REQUIRED_SPEED_UP = 10;
    private static final String FAR_TABLE = "single_primary_profiles";

    @Override
    public String title() {
        return "Latency (home-region read vs a single far primary)";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        DemoServices s = context.services;
        String user = "alice";
        context.services.admin.execute("us", "CREATE TABLE IF NOT EXISTS " + FAR_TABLE
                + " (user_id text PRIMARY KEY, display_name text NOT NULL)");
        context.services.admin.execute("us", "INSERT INTO " + FAR_TABLE
                + " VALUES ('alice', 'Alice') ON CONFLICT (user_id) DO NOTHING");

        DataSource routed = s.postgres.forUser(user);
        String routedSql = "SELECT display_name FROM " + ResidencyStep.TABLE + " WHERE user_id = ?";
        DataSource farPrimary = s.postgres.pool(DemoServices.US);
        String farSql = "SELECT display_name FROM " + FAR_TABLE + " WHERE user_id = ?";

        long[] router = measure(routed, routedSql, user);
        long[] far = measure(farPrimary, farSql, user);
        long routerP50 = Measurements.percentile(router, 50);
        long farP50 = Measurements.percentile(far, 50);
        context.console.line("%d reads each of %s's profile (home eu), connection checkout included:", READS, user);
        context.console.line("%-36s p50 %9s   p99 %9s", "router (served by eu)", Measurements.millis(routerP50),
                Measurements.millis(Measurements.percentile(router, 99)));
        context.console.line("%-36s p50 %9s   p99 %9s", "single far primary (us, 40 ms away)",
                Measurements.millis(farP50), Measurements.millis(Measurements.percentile(far, 99)));
        double ratio = (double) farP50 / Math.max(1, routerP50);
        context.console.line("the router is %.0fx faster at p50 (required: more than %.0fx)", ratio, REQUIRED_SPEED_UP);
        return ratio > REQUIRED_SPEED_UP;
    }

    private static long[] measure(DataSource dataSource, String sql, String user) throws SQLException {
        for (int i = 0; i < WARM_UP; i++) {
            read(dataSource, sql, user);
        }
        long[] samples = new long[READS];
        for (int i = 0; i < READS; i++) {
            long start = System.nanoTime();
            read(dataSource, sql, user);
            samples[i] = System.nanoTime() - start;
        }
        return samples;
    }

    private static void read(DataSource dataSource, String sql, String user) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"Alice".equals(rs.getString(1))) {
                    throw new SQLException("expected the profile of " + user + " in " + sql);
                }
            }
        }
    }
}
