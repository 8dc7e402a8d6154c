package io.regionrouter.jdbc.failover;

import io.regionrouter.core.RegionEvent;
import java.util.Objects;

/**
 * A region's standby was promoted and the region's pool now uses it.
 *
 * @param report what happened and how long it took
 */
public record FailoverCompletedEvent(FailoverReport report) implements RegionEvent {
    /** Validates the report. */
    public FailoverCompletedEvent {
        Objects.requireNonNull(report, "report");
    }
}
