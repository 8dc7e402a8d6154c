package io.regionrouter.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link RegionDirectory} over a fixed map, for tests, demos and small deployments.
 * Immutable and thread-safe.
 */
public final class StaticRegionDirectory implements RegionDirectory {

    private final Map<String, Region> homes;

    private StaticRegionDirectory(Map<String, Region> homes) {
        this.homes = Map.copyOf(homes);
    }

    /**
     * Returns a directory over a copy of the map.
     *
     * @param homes user id to home region; no null keys or values
     */
    public static StaticRegionDirectory of(Map<String, Region> homes) {
        Objects.requireNonNull(homes, "homes");
        homes.forEach((user, region) -> {
            Objects.requireNonNull(user, "user id");
            Objects.requireNonNull(region, () -> "region of user " + user);
        });
        return new StaticRegionDirectory(homes);
    }

    /** Returns a directory that knows nobody. */
    public static StaticRegionDirectory empty() {
        return new StaticRegionDirectory(Map.of());
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Region> lookup(String userId) {
        return Optional.ofNullable(homes.get(userId));
    }

    /** Returns the number of users. */
    public int size() {
        return homes.size();
    }

    @Override
    public String toString() {
        return "StaticRegionDirectory{users=" + homes.size() + '}';
    }

    /** Builds a {@link StaticRegionDirectory}. Not thread-safe. */
    public static final class Builder {

        private final Map<String, Region> homes = new LinkedHashMap<>();

        private Builder() {
        }

        /** Maps a user to a home region; replaces an earlier mapping of the same user. */
        public Builder user(String userId, Region home) {
            homes.put(Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(home, "home"));
            return this;
        }

        /** Maps a user to a home region; replaces an earlier mapping of the same user. */
        public Builder user(String userId, String home) {
            return user(userId, Region.of(home));
        }

        /** Builds the directory. */
        public StaticRegionDirectory build() {
            return new StaticRegionDirectory(homes);
        }
    }
}
