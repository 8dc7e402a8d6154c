package io.regionrouter.jdbc.failover;

/** What started a failover. */
public enum Trigger {
    /** The health monitor found the primary DOWN and direct probes confirmed it. */
    DETECTED,
    /** An operator called {@link FailoverManager#failover}. */
    MANUAL,
    /** {@link FailoverManager#drill}: a controlled switchover through the detection path. */
    DRILL
}
