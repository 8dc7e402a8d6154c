package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import io.regionrouter.core.support.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The database side of moving a user: each region's database refuses the writes of a user who is
 * frozen for a move or has moved away, whatever instance sends them.
 *
 * <p>In each region's database it installs a local (not replicated) table {@value #FENCE_TABLE}
 * ({@code user_id, state, until, epoch}), a check function, and per moved table an index on its
 * user column and one {@code BEFORE INSERT OR UPDATE OR DELETE} row trigger. For a row whose user has a fence row in this database:
 * <ul>
 *   <li>{@code moved}: the write fails with SQLSTATE {@value #SQLSTATE_MOVED_AWAY};</li>
 *   <li>{@code frozen} and {@code until} not yet passed (by this database's clock): the write fails
 *       with SQLSTATE {@value #SQLSTATE_FROZEN}, which is retryable;</li>
 *   <li>otherwise, if this database's replicated copy of the directory maps the user to another
 *       region, the write fails with {@value #SQLSTATE_MOVED_AWAY}: a move whose migrating process
 *       died between the flip and fencing the source is still closed here once replication
 *       carries the flip.</li>
 * </ul>
 * Both codes are in SQLSTATE class 40 (transaction rollback), which frameworks treat as transient
 * (Spring translates class 40 to a {@code ConcurrencyFailureException}): retrying is right for
 * both, after a pause for a freeze and after looking the user up again for a move.
 * Users without a fence row (everyone who never moved out of this region) pass at the cost of one
 * index lookup. Every checked write takes a shared advisory lock on the user for the rest of its
 * transaction, and a freeze takes it exclusively, so a freeze waits for the user's writes in flight
 * and no write can commit after the freeze that read the fence before it.
 *
 * <p>The trigger is an ordinary one: it does not fire in sessions with
 * {@code session_replication_role = replica}, which only a superuser (or a role granted that
 * setting) can set. The migration copies and deletes in such sessions, and logical replication's
 * apply workers run that way too. The check runs as its owner ({@code SECURITY DEFINER}) and the
 * application role needs no privilege on the fence table; revoke it if default privileges grant it.
 *
 * <p>Immutable; the statements are built from validated names only.
 */
public final class MoveGuard {

    /** The local fence table in every region's database: {@value}. */
    public static final String FENCE_TABLE = "region_router_fence";
    /** SQLSTATE of a write refused because its user is frozen for a move: retry after a short pause. */
    public static final String SQLSTATE_FROZEN = "40R01";
    /** SQLSTATE of a write refused because its user's home is now another region: look the user up again. */
    public static final String SQLSTATE_MOVED_AWAY = "40R02";
    /** The first key of the advisory locks that order writes and freezes ('RRMV'). */
    public static final int LOCK_SPACE = 0x52524D56;

    private MoveGuard() {
    }

    /**
     * Whether a failure, or one in its cause chain, is a write refused during a user's freeze.
     *
     * @param failure the failure
     * @return true if a retry after a short pause is expected to succeed
     */
    public static boolean isFrozen(Throwable failure) {
        return hasState(failure, SQLSTATE_FROZEN);
    }

    /**
     * Whether a failure, or one in its cause chain, is a write refused because the user moved away
     * from the database's region: invalidate the user's cached home and route again.
     *
     * @param failure the failure
     * @return true if the user moved
     */
    public static boolean isMovedAway(Throwable failure) {
        return hasState(failure, SQLSTATE_MOVED_AWAY);
    }

    private static boolean hasState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (state.equals(e.getSQLState())) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * The statements for one region's database: the fence table, the check function with the
     * region built in, and per table an index and a trigger. Each can run again. Every name the
     * {@code SECURITY DEFINER} check reads is qualified with {@code schema}, so no caller's
     * {@code search_path} can shadow it (the function carries no {@code SET search_path}, which
     * would cost every checked write a configuration save and restore).
     *
     * @param databaseRegion the region of the database
     * @param schema the schema of the fence table and the check function (the installing session's current schema)
     * @param directoryTable the replicated directory table, as {@link JdbcRegionDirectory#table()}
     * @param tables the moved tables with their user column
     * @param appRole the application role to revoke the fence table from, or null
     * @return the statements
     */
    static List<String> statements(Region databaseRegion, String schema, String directoryTable, List<MovedTable> tables,
            String appRole) {
        Objects.requireNonNull(databaseRegion, "databaseRegion");
        Sql.identifier("schema", schema, Sql.MAX_IDENTIFIER_LENGTH);
        String region = Sql.literal(databaseRegion.id());
        String fence = schema + "." + FENCE_TABLE;
        String check = schema + ".region_router_move_check";
        String directory = directoryTable.contains(".") ? directoryTable : schema + "." + directoryTable;
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE IF NOT EXISTS " + fence + " (user_id text PRIMARY KEY, state text NOT NULL"
                + " CHECK (state IN ('frozen', 'moved')), until timestamptz, epoch bigint NOT NULL, updated_at timestamptz"
                + " NOT NULL DEFAULT now())");
        ddl.add("REVOKE ALL ON " + fence + " FROM PUBLIC");
        if (appRole != null) {
            ddl.add("REVOKE ALL ON " + fence + " FROM " + appRole);
        }
        ddl.add("CREATE OR REPLACE FUNCTION " + check + "(uid text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER AS $$"
                + " DECLARE f record; home text;"
                + " BEGIN"
                + "  PERFORM pg_catalog.pg_advisory_xact_lock_shared(" + LOCK_SPACE + ", pg_catalog.hashtext(uid));"
                + "  SELECT state, pg_catalog.clock_timestamp() < until AS active INTO f FROM " + fence + " WHERE user_id = uid;"
                + "  IF NOT FOUND THEN RETURN; END IF;"
                + "  IF f.state = 'moved' THEN"
                + "   RAISE EXCEPTION 'user % moved away from region %', uid, " + region + " USING ERRCODE = '"
                + SQLSTATE_MOVED_AWAY + "';"
                + "  END IF;"
                + "  IF f.active THEN"
                + "   RAISE EXCEPTION 'user % is frozen while moving from region %; retry shortly', uid, " + region
                + " USING ERRCODE = '" + SQLSTATE_FROZEN + "';"
                + "  END IF;"
                + "  SELECT region INTO home FROM " + directory + " WHERE user_id = uid;"
                + "  IF FOUND AND home <> " + region + " THEN"
                + "   RAISE EXCEPTION 'user % moved away from region % to %', uid, " + region + ", home USING ERRCODE = '"
                + SQLSTATE_MOVED_AWAY + "';"
                + "  END IF;"
                + " END $$");
        // EXECUTE stays granted to PUBLIC: every role that writes a guarded table runs the check, and it
        // can only read the fence and raise
        for (MovedTable t : tables) {
            String function = t.table() + "_move_guard";
            String trigger = Sql.tablePart(t.table()) + "_move_guard";
            String user = t.userColumn();
            ddl.add("CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF TG_OP <> 'INSERT' THEN PERFORM " + check + "(OLD." + user + "::text); END IF;"
                    + " IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW." + user + " IS DISTINCT FROM OLD." + user + ") THEN"
                    + "  PERFORM " + check + "(NEW." + user + "::text); END IF;"
                    + " IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$");
            // every step of a move reads the user's rows, and the guard runs on every write
            ddl.add("CREATE INDEX IF NOT EXISTS " + Sql.tablePart(t.table()) + "_" + user + "_move_idx ON " + t.table() + " ("
                    + user + ")");
            ddl.add("DROP TRIGGER IF EXISTS " + trigger + " ON " + t.table());
            ddl.add("CREATE TRIGGER " + trigger + " BEFORE INSERT OR UPDATE OR DELETE ON " + t.table()
                    + " FOR EACH ROW EXECUTE FUNCTION " + function + "()");
        }
        return List.copyOf(ddl);
    }
}
