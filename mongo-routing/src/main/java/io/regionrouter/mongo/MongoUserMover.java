package io.regionrouter.mongo;

import com.mongodb.MongoWriteException;
import com.mongodb.ErrorCategory;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.UserIds;
import io.regionrouter.mongo.internal.MoveMarkers;
import io.regionrouter.mongo.internal.UserDocuments;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a user's MongoDB documents from one region's database to another's, as one
 * {@link UserDataMover} of a user move (the JDBC module's {@code RegionMigration} drives it).
 * The user's documents are those of each registered collection whose user field equals the user
 * id; the copies in the target get the target as their region field, so the target's
 * {@link ResidencyGuard} accepts the user's later writes there.
 *
 * <p><b>Fence, and how strong it is.</b> The freeze and the fence are a marker document in the
 * region's own database ({@code rr_moves}, {@code _id} = the user). The write check of
 * {@link RegionalMongoClients} built with {@link RegionalMongoClients.Builder#moveFences(boolean)
 * moveFences(true)} reads it before every document write (inserts, updates, replaces, deletes, bulk
 * writes) of a database routed for the user, and refuses the write. MongoDB offers no atomic
 * check of another document within a write without transactions (which the embedded test server
 * lacks), so the check and the write are two requests: a write whose check passed just before the
 * freeze may still land after it. The freeze therefore waits {@link Builder#settle} before the
 * catch-up, and the fence compares the source's digest with the one verified at the catch-up: a write
 * that landed later still is logged at ERROR and reported by {@link #lateWrites}; it is in the old
 * region only. Writes through a database without a user ({@link RegionalMongoClients#forRegion}),
 * through {@code runCommand}, or around the library are not fenced. A freeze's bound is judged by
 * the writing instance's clock against the migrating process's: their skew shortens or lengthens it.
 *
 * <p>Uses the clients' unwrapped databases; thread-safe.
 */
public final class MongoUserMover implements UserDataMover {

    private static final Logger LOG = LoggerFactory.getLogger(MongoUserMover.class);

    /** Default wait, after a freeze is set, for writes whose check passed before it. */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(250);

    private final RegionalMongoClients clients;
    private final List<UserDocuments> collections;
    private final Duration settle;
    private final InstantSource clock;

    private MongoUserMover(Builder b) {
        this.clients = b.clients;
        List<UserDocuments> list = new ArrayList<>();
        b.collections.forEach((name, field) -> list.add(new UserDocuments(name, field, b.clients.regionField())));
        this.collections = List.copyOf(list);
        this.settle = b.settle;
        this.clock = b.clock;
    }

    /**
     * Starts a builder.
     *
     * @param clients the clients of every region the users move between
     * @return a new builder
     */
    public static Builder builder(RegionalMongoClients clients) {
        return new Builder(Objects.requireNonNull(clients, "clients must not be null"));
    }

    @Override
    public String name() {
        return "mongo";
    }

    @Override
    public long copy(String userId, Region source, Region target) {
        UserIds.check("userId", userId);
        long written = 0;
        for (UserDocuments c : collections) {
            Map<BsonValue, BsonDocument> docs = c.read(db(source), userId);
            written += c.mirror(docs, db(target), userId, target.id());
        }
        return written;
    }

    @Override
    public Digest digest(String userId, Region region) {
        UserIds.check("userId", userId);
        MessageDigest md = UserDocuments.sha256();
        long n = 0;
        for (UserDocuments c : collections) {
            n += c.digest(db(region), userId, md);
        }
        return new Digest(n, UserDocuments.hex(md));
    }

    @Override
    public void freeze(String userId, Region region, Duration bound) {
        UserIds.check("userId", userId);
        long until = clock.millis() + Math.max(1, bound.toMillis());
        try {
            MoveMarkers.of(db(region)).replaceOne(Filters.and(Filters.eq("_id", userId), Filters.ne("state", "M")),
                    new Document("_id", userId).append("state", "F").append("until", until),
                    new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                throw new IllegalStateException("user " + cut(userId) + " has a moved marker in " + region
                        + "'s database; they do not live there", e);
            }
            throw e;
        }
        try {
            Thread.sleep(settle.toMillis()); // writes whose check passed just before the marker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the freeze of " + cut(userId) + " settled", e);
        }
    }

    @Override
    public long holdFreeze(String userId, Region region, Digest verified) {
        UserIds.check("userId", userId);
        Document marker = MoveMarkers.of(db(region)).find(Filters.eq("_id", userId)).first();
        if (marker == null || !"F".equals(marker.getString("state"))) {
            return 0;
        }
        Number until = marker.get("until", Number.class);
        long left = until == null ? Long.MAX_VALUE : until.longValue() - clock.millis();
        if (left <= 0) {
            return 0;
        }
        // the digest the source must still have at the fence; a difference is a write that slipped past the check
        String hash = (verified != null ? verified : digest(userId, region)).hash();
        MoveMarkers.of(db(region)).updateOne(Filters.and(Filters.eq("_id", userId), Filters.eq("state", "F")),
                Updates.combine(Updates.set("until", null), Updates.set("caughtUp", hash)));
        return left;
    }

    @Override
    public void unfreeze(String userId, Region region) {
        UserIds.check("userId", userId);
        MoveMarkers.of(db(region)).deleteOne(Filters.and(Filters.eq("_id", userId), Filters.eq("state", "F")));
    }

    @Override
    public void fence(String userId, Region region, Region movedTo, long epoch) {
        UserIds.check("userId", userId);
        Document marker = MoveMarkers.of(db(region)).find(Filters.eq("_id", userId)).first();
        Boolean late = marker == null ? null : marker.getBoolean("lateWrites");
        if (marker != null && "F".equals(marker.getString("state")) && marker.getString("caughtUp") != null) {
            late = !marker.getString("caughtUp").equals(digest(userId, region).hash());
            if (late) {
                LOG.error("[mongo {}] documents of user {} changed after the catch-up of their move to {}: a write passed"
                        + " the move check before the freeze and landed after it; it is in {} only", region, cut(userId),
                        movedTo, region);
            }
        }
        MoveMarkers.of(db(region)).replaceOne(Filters.eq("_id", userId), new Document("_id", userId).append("state", "M")
                .append("movedTo", movedTo.id()).append("epoch", epoch).append("lateWrites", Boolean.TRUE.equals(late)),
                new ReplaceOptions().upsert(true));
    }

    @Override
    public void clearFence(String userId, Region region) {
        UserIds.check("userId", userId);
        MoveMarkers.of(db(region)).deleteOne(Filters.eq("_id", userId));
    }

    @Override
    public long purge(String userId, Region region) {
        UserIds.check("userId", userId);
        long n = 0;
        for (UserDocuments c : collections) {
            n += c.delete(db(region), userId);
        }
        return n;
    }

    /**
     * Whether documents of the user changed in the old region after the catch-up of their move (a
     * write that passed the check just before the freeze and landed after it, in that region only).
     *
     * @param userId the user
     * @param region the region the user moved away from
     * @return true if the fence found such a change
     */
    public boolean lateWrites(String userId, Region region) {
        Document marker = MoveMarkers.of(db(region)).find(Filters.eq("_id", UserIds.check("userId", userId))).first();
        return marker != null && Boolean.TRUE.equals(marker.getBoolean("lateWrites"));
    }

    private MongoDatabase db(Region region) {
        Objects.requireNonNull(region, "region must not be null");
        return clients.client(region).getDatabase(clients.databaseName(region));
    }

    private static String cut(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    @Override
    public String toString() {
        return "MongoUserMover" + collections.stream().map(UserDocuments::collection).toList();
    }

    /** Builder of {@link MongoUserMover}. Not thread-safe. */
    public static final class Builder {
        private final RegionalMongoClients clients;
        private final Map<String, String> collections = new LinkedHashMap<>();
        private Duration settle = DEFAULT_SETTLE;
        private InstantSource clock = InstantSource.system();

        private Builder(RegionalMongoClients clients) {
            this.clients = clients;
        }

        /**
         * Adds a collection whose documents move with their user.
         *
         * @param name the collection
         * @param userField the top-level field holding the user id
         * @return this builder
         */
        public Builder collection(String name, String userField) {
            if (name == null || name.isBlank() || name.startsWith("system.") || name.equals(MoveMarkers.COLLECTION)) {
                throw new InvalidConfigurationException("collection", name, "collection must be a user collection name,"
                        + " but was \"" + name + "\"");
            }
            if (userField == null || !ResidencyGuard.isTopLevelFieldName(userField) || userField.isBlank()) {
                throw new InvalidConfigurationException("userField", userField, "userField must be a top-level field"
                        + " name, but was \"" + userField + "\"");
            }
            if (collections.putIfAbsent(name, userField) != null) {
                throw new InvalidConfigurationException("collection", name, "collection must be added once, but "
                        + name + " was added twice");
            }
            return this;
        }

        /**
         * Sets how long a freeze waits, once its marker is set, for writes whose check passed just
         * before it, 0 to 10 s. Default 250 ms. Part of the freeze window.
         *
         * @param settle the wait
         * @return this builder
         */
        public Builder settle(Duration settle) {
            Objects.requireNonNull(settle, "settle must not be null");
            if (settle.isNegative() || settle.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new InvalidConfigurationException("settle", settle, "settle must be between 0 and 10 s, but was "
                        + settle);
            }
            this.settle = settle;
            return this;
        }

        /**
         * Sets the wall clock of the freeze bounds. Default the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Builds the mover.
         *
         * @return the mover
         * @throws InvalidConfigurationException if no collection was added
         */
        public MongoUserMover build() {
            if (collections.isEmpty()) {
                throw new InvalidConfigurationException("collection", null, "collection must be added at least once,"
                        + " but none was");
            }
            return new MongoUserMover(this);
        }
    }
}
