package io.regionrouter.examples;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.jdbc.ResidencyAudit;
import io.regionrouter.jdbc.ResidencySchema;
import io.regionrouter.jdbc.ResidencyViolationSQLException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Data residency, enforced twice. An eu user's profile is written through the router and lands in
 * eu only. Writing it into us is refused by the application before any SQL runs; the same write
 * with the application's guard bypassed (plain JDBC on the us pool, as the application role) is
 * refused by PostgreSQL's row-level security.
 */
final class ResidencyStep implements DemoStep {

    static final String TABLE = "profiles";
    private static final String USER = "alice";
    private static final String INSERT = "INSERT INTO " + TABLE + " (user_id, display_name, region) VALUES (?, ?, ?)";
    /** PostgreSQL's SQLSTATE for "insufficient privilege", which a row-level security refusal raises. */
    private static final String RLS_REFUSED = "42501";

    @Override
    public String title() {
        return "Residency (the application and PostgreSQL both refuse)";
    }

    @Override
    @SuppressWarnings("try") // the scope binds the context; the body need not touch it
    public boolean run(DemoContext context) throws Exception {
        DemoServices s = context.services;
        ResidencySchema schema = ResidencySchema.builder(s.topology)
                .table(TABLE)
                .column("user_id", "text NOT NULL")
                .column("display_name", "text NOT NULL")
                .primaryKey("user_id")
                .appRole(context.regions.region("eu").postgres().appUser())
                .build();
        for (String region : Demo.REGIONS) {
            schema.apply(context.regions.region(region).postgres().superuserDataSource(), Region.of(region));
        }
        context.console.line("table %s: partitioned by region, forced row-level security, applied in %s as the owner",
                TABLE, Demo.REGIONS);

        Region home = s.router.homeRegion(USER);
        DataSource forAlice = s.postgres.forUser(USER);
        try (Connection c = forAlice.getConnection()) {
            insert(c, USER, "Alice", home);
        }
        Map<String, Long> rows = rowsPerRegion(context, USER);
        context.console.line("%s (home %s) written through the router; rows per region database: %s", USER, home, rows);
        boolean onlyInHome = rows.get(home.id()) == 1 && rows.values().stream().mapToLong(Long::longValue).sum() == 1;

        boolean appRefused;
        try (RegionContext.Scope scope = RegionContext.of(USER, DemoServices.US).open();
                Connection c = s.postgres.routingDataSource().getConnection()) {
            insert(c, USER, "Alice (copy)", home);
            context.console.line("application: write of %s's data through us was NOT refused", USER);
            appRefused = false;
        } catch (ResidencyViolationSQLException e) {
            context.console.line("application refused (SQLState %s, before any SQL): %s", e.getSQLState(),
                    e.getMessage());
            appRefused = e.getCause() instanceof ResidencyViolationException;
        }

        boolean dbRefused;
        try (Connection c = s.postgres.pool(DemoServices.US).getConnection()) {
            insert(c, USER, "Alice (copy)", home);
            context.console.line("PostgreSQL: insert of an %s row on a us session was NOT refused", home);
            dbRefused = false;
        } catch (SQLException e) {
            context.console.line("guard bypassed (plain JDBC on the us pool, role %s): PostgreSQL refused with %s %s",
                    context.regions.region("us").postgres().appUser(), e.getSQLState(), firstLine(e.getMessage()));
            dbRefused = RLS_REFUSED.equals(e.getSQLState());
        }

        Map<String, Long> after = rowsPerRegion(context, USER);
        ResidencyAudit audit = schema.audit(context.regions.region("us").postgres().superuserDataSource(), TABLE,
                DemoServices.US);
        context.console.line("rows per region database afterwards: %s; audit of us: %s", after,
                audit.isClean() ? "clean" : audit.misplacedRows() + " misplaced");
        return onlyInHome && appRefused && dbRefused && after.equals(rows) && audit.isClean();
    }

    private static void insert(Connection c, String user, String name, Region region) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, user);
            ps.setString(2, name);
            ps.setString(3, region.id());
            ps.executeUpdate();
        }
    }

    /** Counts the user's rows in each region's database, read directly as the superuser. */
    static Map<String, Long> rowsPerRegion(DemoContext context, String user) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String region : Demo.REGIONS) {
            rows.put(region, context.services.admin.queryLong(region,
                    "SELECT count(*) FROM " + TABLE + " WHERE user_id = ?", user));
        }
        return rows;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
