package io.regionrouter.redis;

import io.regionrouter.core.Region;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the messages of the write exceptions, so both name regions and hints the same way. */
final class WriteFailureMessages {

    private WriteFailureMessages() {
    }

    static String reasons(Map<Region, Throwable> failures) {
        return failures.entrySet().stream()
                .map(e -> e.getKey() + ": " + describe(e.getValue()))
                .collect(Collectors.joining("; "));
    }

    static void appendHints(StringBuilder sb, List<Region> hinted, List<Region> unhinted,
            Map<Region, Throwable> hintFailures) {
        if (!hinted.isEmpty()) {
            sb.append("; kept in the hint log for ").append(hinted).append(", will be replayed when UP");
        }
        if (!unhinted.isEmpty()) {
            sb.append("; NOT kept for ").append(unhinted);
            if (!hintFailures.isEmpty()) {
                sb.append(" (").append(reasons(hintFailures)).append(")");
            }
            sb.append(", those regions miss this write");
        }
    }

    static String describe(Throwable t) {
        return t == null ? "unknown"
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }
}
