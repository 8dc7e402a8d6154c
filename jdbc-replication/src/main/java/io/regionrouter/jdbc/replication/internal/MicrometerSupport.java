package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.jdbc.replication.ReplicationMetrics;
import io.regionrouter.jdbc.replication.ReplicationMonitor;

/**
 * Detects Micrometer at run time, so that the replication monitor works without it. Only
 * {@link #bind} touches Micrometer types, and only after {@link #isPresent()} said yes.
 */
public final class MicrometerSupport {

    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
    private static final boolean PRESENT = detect();

    private MicrometerSupport() {
    }

    private static boolean detect() {
        try {
            Class.forName(METER_REGISTRY, false, MicrometerSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether micrometer-core is on the class path. */
    public static boolean isPresent() {
        return PRESENT;
    }

    /** Whether the object is a Micrometer MeterRegistry; false when Micrometer is absent. */
    public static boolean isMeterRegistry(Object candidate) {
        if (!PRESENT) {
            return false;
        }
        try {
            return Class.forName(METER_REGISTRY, false, MicrometerSupport.class.getClassLoader()).isInstance(candidate);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Binds the monitor's gauges to the registry.
     *
     * @param monitor the monitor
     * @param registry an object for which {@link #isMeterRegistry} is true
     */
    public static void bind(ReplicationMonitor monitor, Object registry) {
        new ReplicationMetrics(monitor).bindTo((io.micrometer.core.instrument.MeterRegistry) registry);
    }
}
