package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;
import io.regionrouter.core.Store;

/**
 * A write was refused before anything was sent because the hint log, which lives in the local
 * region's Redis, is unavailable: that Redis is DOWN in the router's health. Only the Redis store's
 * state counts; the local PostgreSQL or MongoDB being DOWN never causes this. Accepting the write
 * would risk losing it silently for any region that misses it, so it fails loudly instead. Nothing
 * was written.
 */
public class HintLogUnavailableException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for the default store, {@link Store#REDIS}.
     *
     * @param key the key of the refused write
     * @param local the local region, which holds the hint log
     */
    public HintLogUnavailableException(String key, Region local) {
        this(key, local, Store.REDIS);
    }

    /**
     * Creates the exception.
     *
     * @param key the key of the refused write
     * @param local the local region, which holds the hint log
     * @param store the store whose health said DOWN
     */
    public HintLogUnavailableException(String key, Region local, Store store) {
        super("write of key \"" + key + "\" refused: the hint log in local region " + local
                + " is unavailable (" + store + " of " + local + " is DOWN), so a region that missed the write"
                + " could not get it later; nothing was written", null, null, local);
    }
}
