package io.regionrouter.core.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.Store;
import io.regionrouter.core.StoreHealth;

/**
 * The {@link StoreHealth} of one (region, store): a stable handle whose monitor is attached while
 * the store is registered. Reads are one volatile load, so adapters can consult it on every call.
 * Thread-safe.
 */
public final class StoreHandle implements StoreHealth {

    private final Region region;
    private final Store store;
    private volatile RegionMonitor monitor;

    /**
     * Creates a handle with no monitor: UP, results ignored.
     *
     * @param region the region
     * @param store the store
     */
    public StoreHandle(Region region, Store store) {
        this.region = region;
        this.store = store;
    }

    /** Returns the attached monitor, or null. */
    public RegionMonitor monitor() {
        return monitor;
    }

    /** Attaches or (with null) detaches the monitor. */
    public void monitor(RegionMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Region region() {
        return region;
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public RegionState state() {
        RegionMonitor m = monitor;
        return m == null ? RegionState.UP : m.state();
    }

    @Override
    public boolean isUp() {
        RegionMonitor m = monitor;
        return m == null || m.state() == RegionState.UP;
    }

    @Override
    public void recordSuccess() {
        RegionMonitor m = monitor;
        if (m != null) {
            m.recordSuccess();
        }
    }

    @Override
    public void recordFailure(Throwable cause) {
        RegionMonitor m = monitor;
        if (m != null) {
            m.recordFailure(cause);
        }
    }

    @Override
    public String toString() {
        return region + "/" + store + "=" + state();
    }
}
