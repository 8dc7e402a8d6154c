package io.regionrouter.redis;

import io.regionrouter.core.RegionEvent;

/**
 * A repair pass ended, started automatically (a lost hint log, a hint overflow, hints past the
 * maximum hint age, a Redis that came back empty) or by {@link RegionalRedis#repair()}.
 *
 * @param report what the pass did
 * @param reason why it ran
 */
public record RepairCompletedEvent(RepairReport report, String reason) implements RegionEvent {
}
