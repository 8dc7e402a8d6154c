package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouterException;

/**
 * A key holds a value that {@link RegionalRedis} did not write, or cannot decode: a plain string, a
 * list, a hash without a valid version (for example one written with {@code HSET} directly). The
 * server answered, so this never counts against the region's health. A write leaves such a value
 * unchanged and is not hinted; a read fails with this exception instead of falling back, since a
 * fallback would hide the damage. Remove or repair the key to use it again.
 */
public class ForeignValueException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param region the region whose Redis holds the value
     * @param detail what is wrong with the value, such as {@code "a string"}
     * @param cause the server's reply or the decoding failure, may be null
     */
    public ForeignValueException(String key, Region region, String detail, Throwable cause) {
        super("key \"" + key + "\" in region " + region + " holds a value that RegionalRedis did not write ("
                + detail + "); it was left unchanged", cause, null, region);
        this.key = key;
    }

    /** Returns the key. */
    public String key() {
        return key;
    }
}
