package io.regionrouter.core;

import java.io.Serializable;
import java.util.regex.Pattern;

import io.regionrouter.core.support.Messages;

/**
 * A kind of data store in a region, such as {@code postgres}, {@code redis} or {@code mongo}.
 * {@link RegionHealth} keeps one verdict per (region, store), so eu's Redis being DOWN says nothing
 * about eu's PostgreSQL. Each adapter uses its own store by default; give two stores of one kind
 * in the same region different names ({@code postgres-orders}, {@code postgres-billing}).
 *
 * <p>The name is 1 to 32 characters of lowercase letters, digits and single {@code -} between
 * them, starting with a letter. Stores are compared by name. Instances are immutable and thread-safe.
 *
 * @param name the store name
 */
public record Store(String name) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The rule every store name must satisfy. */
    public static final String NAME_RULE = "[a-z][a-z0-9]*(-[a-z0-9]+)*, at most 32 characters";

    private static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** The PostgreSQL pools of the JDBC adapter. */
    public static final Store POSTGRES = new Store("postgres");
    /** The Redis connections of the Redis adapter. */
    public static final Store REDIS = new Store("redis");
    /** The MongoDB clients of the MongoDB adapter. */
    public static final Store MONGO = new Store("mongo");

    /**
     * Creates a store.
     *
     * @throws InvalidConfigurationException if {@code name} is null or does not match {@link #NAME_RULE}
     */
    public Store {
        if (name == null || name.length() > 32 || !NAME_PATTERN.matcher(name).matches()) {
            throw new InvalidConfigurationException("store.name", name,
                    "store.name must match " + NAME_RULE + ", but was " + Messages.quote(name));
        }
    }

    /**
     * Returns the store with the given name.
     *
     * @throws InvalidConfigurationException if the name is not valid
     */
    public static Store of(String name) {
        return new Store(name);
    }

    /** Returns the name. */
    @Override
    public String toString() {
        return name;
    }
}
