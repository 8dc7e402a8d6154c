package io.regionrouter.mongo;

import java.util.List;
import org.bson.Document;

/**
 * What {@link ReplicaSetPlan#dryRun} would run, or what {@link ReplicaSetPlan#apply} ran: either one
 * {@code replSetInitiate} for a set with no configuration yet, or a sequence of
 * {@code replSetReconfig} commands, each with the version after the previous one and at most one
 * change of voting membership, as MongoDB requires of a reconfiguration without {@code force}.
 *
 * @param commands the commands, in order; empty when the set already matches the plan
 * @param dryRun whether the commands were only planned
 */
public record ReplicaSetChange(List<Document> commands, boolean dryRun) {

    /** Copies the list. */
    public ReplicaSetChange {
        commands = List.copyOf(commands);
    }

    /** Whether the set already matched the plan (nothing to run). */
    public boolean upToDate() {
        return commands.isEmpty();
    }
}
