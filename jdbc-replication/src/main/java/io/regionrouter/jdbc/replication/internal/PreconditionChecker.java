package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.ActiveActiveTable;
import io.regionrouter.jdbc.replication.PlannedPublication;
import io.regionrouter.jdbc.replication.PlannedSubscription;
import io.regionrouter.jdbc.replication.ReplicatedTable;
import io.regionrouter.jdbc.replication.ReplicationSetup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Checks, read-only, that every database is ready for a {@link ReplicationSetup}, and collects every
 * problem rather than stopping at the first:
 *
 * <ul>
 *   <li>publishers: {@code wal_level = logical}; PostgreSQL 15 or later for row filters; enough
 *       free replication slots; every published table exists; a REGULATED table has its region column
 *       and a replica identity that covers it ({@code REPLICA IDENTITY FULL} or the column in the
 *       key), on the table and on each of its partitions, or UPDATE and DELETE fail on the publisher;
 *       a GLOBAL table has a replica identity at all;</li>
 *   <li>subscribers: every subscribed table exists, with its region column for REGULATED tables.</li>
 * </ul>
 */
public final class PreconditionChecker {

    /** First server version with row filters in publications. */
    static final int MIN_ROW_FILTER_VERSION = 150000;
    /** First server version with {@code origin = none} subscriptions. */
    static final int MIN_ORIGIN_NONE_VERSION = 160000;

    private PreconditionChecker() {
    }

    /**
     * Checks the setup.
     *
     * @param setup the setup
     * @param admins each region's administration data source
     * @return the problems found, empty when all is well
     */
    public static List<String> check(ReplicationSetup setup, Map<Region, DataSource> admins) {
        Map<Region, List<ReplicatedTable>> published = new LinkedHashMap<>();
        Map<Region, Boolean> filtered = new LinkedHashMap<>();
        Map<Region, Integer> slots = new LinkedHashMap<>();
        for (PlannedPublication p : setup.publications()) {
            published.computeIfAbsent(p.region(), r -> new ArrayList<>()).addAll(p.tables());
            filtered.merge(p.region(), p.regulated(), Boolean::logicalOr);
        }
        for (PlannedSubscription s : setup.subscriptions()) {
            slots.merge(s.publisher(), 1, Integer::sum);
        }
        Map<Region, Set<ReplicatedTable>> subscribed = new LinkedHashMap<>();
        for (PlannedSubscription s : setup.subscriptions()) {
            for (PlannedPublication p : setup.publicationsOf(s.publisher())) {
                if (s.publications().contains(p.name())) {
                    subscribed.computeIfAbsent(s.subscriber(), r -> new LinkedHashSet<>()).addAll(p.tables());
                }
            }
        }
        Set<Region> regions = new LinkedHashSet<>(published.keySet());
        regions.addAll(subscribed.keySet());
        List<String> problems = new ArrayList<>();
        for (Region region : regions) {
            DataSource admin = admins.get(region);
            if (admin == null) {
                problems.add("region " + region + ": no ReplicationEndpoint configured");
                continue;
            }
            try (Connection c = admin.getConnection()) {
                if (published.containsKey(region)) {
                    checkPublisher(c, region, new LinkedHashSet<>(published.get(region)), filtered.get(region),
                            slots.getOrDefault(region, 0), setup.namePrefix(), problems);
                }
                if (subscribed.containsKey(region)) {
                    checkSubscriber(c, region, subscribed.get(region), problems);
                }
                if (!setup.activeActiveTables().isEmpty()) {
                    checkActiveActive(c, region, setup.activeActiveTables(), problems);
                }
            } catch (SQLException e) {
                problems.add("region " + region + ": could not check the database: " + e.getMessage());
            }
        }
        return problems;
    }

    private static void checkPublisher(Connection c, Region region, Set<ReplicatedTable> tables, boolean rowFilters,
            int plannedSlots, String prefix, List<String> problems) throws SQLException {
        String walLevel = Catalog.queryString(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add("region " + region + ": wal_level must be logical for logical replication, but was " + walLevel
                    + " (set wal_level = logical and restart the server)");
        }
        int version = Integer.parseInt(Catalog.queryString(c, "SHOW server_version_num"));
        if (rowFilters && version < MIN_ROW_FILTER_VERSION) {
            problems.add("region " + region + ": row-filtered publications need PostgreSQL 15 or later, but server_version_num was "
                    + version);
        }
        int max = Integer.parseInt(Catalog.queryString(c, "SHOW max_replication_slots"));
        int others = Integer.parseInt(Catalog.queryString(c,
                "SELECT count(*) FROM pg_replication_slots WHERE left(slot_name, " + (prefix.length() + 1) + ") <> '" + prefix + "_'"));
        if (others + plannedSlots > max) {
            problems.add("region " + region + ": max_replication_slots must be >= " + (others + plannedSlots) + " (" + others
                    + " slots in use by others + " + plannedSlots + " planned), but was " + max);
        }
        for (ReplicatedTable t : tables) {
            Optional<Catalog.TableInfo> info = Catalog.table(c, t.name());
            if (info.isEmpty()) {
                problems.add("region " + region + " (publisher): table " + t.name() + " does not exist");
                continue;
            }
            if (t.regionColumn() == null) {
                checkGlobalIdentity(c, region, info.get(), problems);
            } else {
                checkRegulatedIdentity(c, region, t, info.get(), problems);
            }
        }
    }

    private static void checkGlobalIdentity(Connection c, Region region, Catalog.TableInfo info, List<String> problems)
            throws SQLException {
        for (Catalog.TableInfo target : withLeaves(c, info)) {
            if (!target.hasReplicaIdentity()) {
                problems.add("region " + region + " (publisher): table " + target.name()
                        + " has no replica identity (no primary key and not REPLICA IDENTITY FULL), so UPDATE and DELETE"
                        + " would fail once it is published; add a primary key or run ALTER TABLE " + target.name()
                        + " REPLICA IDENTITY FULL");
            }
        }
    }

    private static void checkRegulatedIdentity(Connection c, Region region, ReplicatedTable t, Catalog.TableInfo info,
            List<String> problems) throws SQLException {
        if (!info.columns().contains(t.regionColumn())) {
            problems.add("region " + region + " (publisher): table " + t.name() + " has no column " + t.regionColumn()
                    + " for its row filter");
            return;
        }
        for (Catalog.TableInfo target : withLeaves(c, info)) {
            if (!target.identityCovers(t.regionColumn())) {
                problems.add("region " + region + " (publisher): table " + target.name() + " needs REPLICA IDENTITY FULL or "
                        + t.regionColumn() + " in its primary key, because its row filter uses " + t.regionColumn()
                        + " and UPDATE and DELETE would fail otherwise; its replica identity covers " + target.identityColumns()
                        + " (run ALTER TABLE " + target.name() + " REPLICA IDENTITY FULL)");
            }
        }
    }

    private static List<Catalog.TableInfo> withLeaves(Connection c, Catalog.TableInfo info) throws SQLException {
        List<Catalog.TableInfo> all = new ArrayList<>();
        all.add(info);
        for (String leaf : info.leafPartitions()) {
            Catalog.table(c, leaf).ifPresent(all::add);
        }
        return all;
    }

    private static void checkActiveActive(Connection c, Region region, List<ActiveActiveTable> tables, List<String> problems)
            throws SQLException {
        int version = Integer.parseInt(Catalog.queryString(c, "SHOW server_version_num"));
        if (version < MIN_ORIGIN_NONE_VERSION) {
            problems.add("region " + region + ": active-active tables need PostgreSQL 16 or later (origin = none), but"
                    + " server_version_num was " + version);
        }
        for (ActiveActiveTable t : tables) {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL, (SELECT format_type(atttypid, atttypmod)"
                    + " FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped)")) {
                ps.setString(1, t.name());
                ps.setString(2, t.name());
                ps.setString(3, t.updatedAtColumn());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String type = rs.getString(2);
                    if (!rs.getBoolean(1)) {
                        continue;
                    }
                    if (type == null) {
                        problems.add("region " + region + ": active-active table " + t.name() + " needs a column "
                                + t.updatedAtColumn() + " of type timestamp with time zone, but it has none");
                    } else if (!type.equals("timestamp with time zone")) {
                        problems.add("region " + region + ": active-active table " + t.name() + " column " + t.updatedAtColumn()
                                + " must be of type timestamp with time zone, but was " + type);
                    }
                }
            }
        }
    }

    private static void checkSubscriber(Connection c, Region region, Set<ReplicatedTable> tables, List<String> problems)
            throws SQLException {
        for (ReplicatedTable t : tables) {
            Optional<Catalog.TableInfo> info = Catalog.table(c, t.name());
            if (info.isEmpty()) {
                problems.add("region " + region + " (subscriber): table " + t.name()
                        + " does not exist; logical replication does not copy DDL, create it first");
            } else if (t.regionColumn() != null && !info.get().columns().contains(t.regionColumn())) {
                problems.add("region " + region + " (subscriber): table " + t.name() + " has no column " + t.regionColumn());
            }
        }
    }
}
