package io.regionrouter.jdbc.support;

import io.regionrouter.jdbc.RegionalDataSources;
import java.util.Objects;
import java.util.function.Function;

/**
 * Hands a {@link PoolControl} for a {@link RegionalDataSources} to region-router's failover module.
 * {@code RegionalDataSources} installs the only accessor when its class initialises, which happens
 * before any instance exists, so no other code can install one.
 */
public final class PoolControls {

    private static volatile Function<RegionalDataSources, PoolControl> accessor;

    private PoolControls() {
    }

    /**
     * Installs the accessor; only the first call counts.
     *
     * @param access creates the control of one instance
     * @throws IllegalStateException if an accessor is already installed
     */
    public static synchronized void install(Function<RegionalDataSources, PoolControl> access) {
        if (accessor != null) {
            throw new IllegalStateException("the pool control accessor is already installed");
        }
        accessor = Objects.requireNonNull(access, "access");
    }

    /**
     * The control of one instance.
     *
     * @param pg the data sources
     * @return its control
     */
    public static PoolControl of(RegionalDataSources pg) {
        Objects.requireNonNull(pg, "pg");
        return accessor.apply(pg); // installed: pg's class is initialised
    }
}
