package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.Sql;
import io.regionrouter.jdbc.replication.PlannedPublication;
import io.regionrouter.jdbc.replication.PlannedSubscription;
import io.regionrouter.jdbc.replication.ReplicatedTable;
import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL text of publications and subscriptions. Every name in it was validated by
 * {@link Sql}; region ids and connection strings are quoted as literals. Stateless.
 */
public final class Ddl {

    /** Stands in for the connection string in statements meant for display. */
    public static final String MASKED_CONNINFO = "<conninfo of the publisher, password masked>";

    private Ddl() {
    }

    /**
     * {@code CREATE PUBLICATION} with a row filter on each REGULATED table.
     *
     * @param p the publication
     * @return the statement
     */
    public static String createPublication(PlannedPublication p) {
        return "CREATE PUBLICATION " + p.name() + " FOR TABLE " + tableList(p)
                + " WITH (publish_via_partition_root = true)";
    }

    /**
     * {@code ALTER PUBLICATION ... SET TABLE}, which replaces the table list and the row filters.
     *
     * @param p the publication
     * @return the statement
     */
    public static String setPublicationTables(PlannedPublication p) {
        return "ALTER PUBLICATION " + p.name() + " SET TABLE " + tableList(p);
    }

    /**
     * {@code ALTER PUBLICATION ... SET (publish_via_partition_root = true)}.
     *
     * @param name the publication
     * @return the statement
     */
    public static String setPublicationOptions(String name) {
        return "ALTER PUBLICATION " + name + " SET (publish_via_partition_root = true)";
    }

    /**
     * The row filter of a REGULATED table in a publication, such as {@code (region IN ('eu'))}.
     *
     * @param table the table
     * @param homes the home regions whose rows pass
     * @return the filter, parenthesised
     */
    public static String rowFilter(ReplicatedTable table, List<Region> homes) {
        StringJoiner in = new StringJoiner(", ", "(" + table.regionColumn() + " IN (", "))");
        homes.forEach(h -> in.add(Sql.literal(h.id())));
        return in.toString();
    }

    private static String tableList(PlannedPublication p) {
        StringJoiner list = new StringJoiner(", ");
        for (ReplicatedTable t : p.tables()) {
            list.add(p.regulated() && t.regionColumn() != null ? t.name() + " WHERE " + rowFilter(t, p.homeRegions()) : t.name());
        }
        return list.toString();
    }

    /**
     * {@code CREATE SUBSCRIPTION ... WITH (copy_data = true)}. The result contains the password when
     * {@code conninfo} does; never log it.
     *
     * @param s the subscription
     * @param conninfo the publisher's connection string, or {@link #MASKED_CONNINFO} for display
     * @return the statement
     */
    public static String createSubscription(PlannedSubscription s, String conninfo) {
        return "CREATE SUBSCRIPTION " + s.name() + " CONNECTION " + Sql.literal(conninfo) + " PUBLICATION "
                + String.join(", ", s.publications()) + " WITH (copy_data = " + s.copyData()
                + (s.localOriginOnly() ? ", origin = none" : "") + ")";
    }

    /**
     * The trigger function of active-active tables, one per schema prefix. On a local write it stamps
     * the timestamp column named by the trigger's argument; in an apply worker
     * ({@code session_replication_role = replica}) it drops an update older than the stored row, and
     * on an exact tie keeps the version whose row text has the larger md5, so every region decides alike.
     *
     * @param prefix the plan's name prefix
     * @return {@code CREATE OR REPLACE FUNCTION ...}
     */
    public static String lastWriteWinsFunction(String prefix) {
        return "CREATE OR REPLACE FUNCTION " + lastWriteWinsFunctionName(prefix) + "() RETURNS trigger LANGUAGE plpgsql AS $rr$\n"
                + "DECLARE\n"
                + "  incoming timestamptz;\n"
                + "  stored timestamptz;\n"
                + "BEGIN\n"
                + "  IF current_setting('session_replication_role') <> 'replica' THEN\n"
                + "    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], clock_timestamp()));\n"
                + "    RETURN NEW;\n"
                + "  END IF;\n"
                + "  IF TG_OP <> 'UPDATE' THEN\n"
                + "    RETURN NEW;\n"
                + "  END IF;\n"
                + "  incoming := (to_jsonb(NEW) ->> TG_ARGV[0])::timestamptz;\n"
                + "  stored := (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz;\n"
                + "  IF incoming < stored OR (incoming = stored AND md5(NEW::text) < md5(OLD::text)) THEN\n"
                + "    RETURN NULL;\n"
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$rr$";
    }

    /** The name of the last-write-wins trigger function. */
    public static String lastWriteWinsFunctionName(String prefix) {
        return prefix + "_last_write_wins";
    }

    /** The name of the last-write-wins trigger on each active-active table. */
    public static String lastWriteWinsTriggerName(String prefix) {
        return prefix + "_last_write_wins";
    }

    /**
     * The statements that put the last-write-wins trigger on a table and make it fire in apply
     * workers too ({@code ENABLE ALWAYS}).
     *
     * @param prefix the plan's name prefix
     * @param table the table
     * @param updatedAtColumn its timestamp column
     * @return the statements
     */
    public static List<String> lastWriteWinsTrigger(String prefix, String table, String updatedAtColumn) {
        String trigger = lastWriteWinsTriggerName(prefix);
        return List.of("CREATE OR REPLACE TRIGGER " + trigger + " BEFORE INSERT OR UPDATE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION " + lastWriteWinsFunctionName(prefix) + "(" + Sql.literal(updatedAtColumn) + ")",
                "ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + trigger);
    }

    /**
     * {@code ALTER SUBSCRIPTION ... SET PUBLICATION}; with {@code refresh} the tables that are new
     * to the subscription are copied.
     *
     * @param s the subscription
     * @param refresh whether to refresh (only possible while the subscription is enabled)
     * @return the statement
     */
    public static String setSubscriptionPublications(PlannedSubscription s, boolean refresh) {
        return "ALTER SUBSCRIPTION " + s.name() + " SET PUBLICATION " + String.join(", ", s.publications())
                + (refresh ? " WITH (refresh = true, copy_data = true)" : " WITH (refresh = false)");
    }

    /**
     * {@code ALTER SUBSCRIPTION ... REFRESH PUBLICATION WITH (copy_data = true)}.
     *
     * @param name the subscription
     * @return the statement
     */
    public static String refreshSubscription(String name) {
        return "ALTER SUBSCRIPTION " + name + " REFRESH PUBLICATION WITH (copy_data = true)";
    }
}
