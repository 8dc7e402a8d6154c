package io.regionrouter.jdbc.replication;

import io.regionrouter.core.RegionRouterException;
import java.util.List;

/**
 * The databases are not ready for a {@link ReplicationPlan}: {@code wal_level} is not
 * {@code logical}, a table is missing, a row-filtered table lacks a replica identity that covers its
 * region column, and so on. Thrown before any DDL runs; {@link #problems()} lists every problem
 * found, each naming the region, the table and what to do.
 */
public class ReplicationPreconditionException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param problems the problems, at least one
     */
    public ReplicationPreconditionException(List<String> problems) {
        super("replication preconditions not met (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found. */
    public List<String> problems() {
        return problems;
    }
}
