package io.regionrouter.mongo;

import org.bson.Document;

import java.util.List;

/**
 * What {@link ZoneSharding} did, or would do in a dry run: the commands in execution order, and the
 * commands skipped because the cluster's configuration already contains their effect.
 *
 * @param commands the commands run (or, in a dry run, to run), in order
 * @param skipped  the commands already in effect
 * @param dryRun   whether {@code commands} were only planned
 */
public record ZoneShardingPlan(List<Document> commands, List<Document> skipped, boolean dryRun) {

    /** Copies the lists. */
    public ZoneShardingPlan {
        commands = List.copyOf(commands);
        skipped = List.copyOf(skipped);
    }

    /** Whether the cluster already had everything (nothing to run). */
    public boolean upToDate() {
        return commands.isEmpty();
    }
}
