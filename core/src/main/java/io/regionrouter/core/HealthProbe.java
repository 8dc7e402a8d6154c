package io.regionrouter.core;

import java.time.Duration;

/**
 * SPI that checks whether a region is serving, for example with {@code SELECT 1}, {@code PING} or
 * the MongoDB {@code ping} command. Adapters supply it; {@link RegionHealth} runs it periodically.
 *
 * <p><b>Threading:</b> called on a probe thread of {@link RegionHealth}, never on an application
 * thread. For one registration it is never called concurrently with itself: a new probe starts
 * only after the previous one returned. Different regions' probes run concurrently, so a probe
 * shared between regions must be thread-safe.
 *
 * <p><b>Timeout and failures:</b> the probe should apply {@code timeout} to its own call (a JDBC
 * query timeout, a Lettuce command timeout...). The monitor also stops waiting after the timeout,
 * counts the probe as failed and interrupts the probe's thread; it starts no further probe of the
 * region until this one returns. Returning normally means healthy; throwing anything means
 * unhealthy.
 */
@FunctionalInterface
public interface HealthProbe {

    /**
     * Checks the region once.
     *
     * @param timeout how long the check may take
     * @throws Exception if the region is not healthy
     */
    void check(Duration timeout) throws Exception;
}
