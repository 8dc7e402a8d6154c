package io.regionrouter.redis;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A view of a {@link RegionalRedis} that acts for one user: REGULATED keys are written to, and read
 * from, only the regions that the residency rules of the user's home region allow. A key is REGULATED
 * unless a {@link RegionalRedisConfig.Builder#global(String) global} prefix declares it, so a key
 * nobody declared ({@code passport:alice}) stays in the user's allowed regions. GLOBAL keys behave as
 * on the underlying instance; keys under {@link RegionalRedisConfig#keyPrefix()} are refused. Every synchronous method returns or throws within
 * {@link RegionalRedisConfig#operationTimeout()}, with the exceptions of the matching method of
 * {@link RegionalRedis}. Thread-safe; cheap to create.
 *
 * @param <V> the value type
 */
public final class UserScopedRedis<V> {

    private final RegionalRedis<V> redis;
    private final String userId;

    UserScopedRedis(RegionalRedis<V> redis, String userId) {
        this.redis = redis;
        this.userId = userId;
    }

    /** Returns the user. */
    public String userId() {
        return userId;
    }

    /** Writes a value with the default ack policy and no expiry. */
    public Version set(String key, V value) {
        return redis.awaitWrite(key, setAsync(key, value, null, redis.config().defaultAck()));
    }

    /** Writes a value; {@code ttl} may be null for no expiry. */
    public Version set(String key, V value, Duration ttl, AckPolicy ack) {
        return redis.awaitWrite(key, setAsync(key, value, ttl, ack));
    }

    /** See {@link RegionalRedis#setAsync(String, Object, Duration, AckPolicy)}. */
    public CompletionStage<Version> setAsync(String key, V value, Duration ttl, AckPolicy ack) {
        return redis.writeFor(key, value, ttl, ack, userId).thenApply(WriteResult::version);
    }

    /** See {@link RegionalRedis#write(String, Object, Duration, AckPolicy)}. */
    public WriteResult write(String key, V value, Duration ttl, AckPolicy ack) {
        return redis.awaitWrite(key, redis.writeFor(key, value, ttl, ack, userId));
    }

    /** Deletes a key with the default ack policy. */
    public Version delete(String key) {
        return redis.awaitWrite(key, deleteAsync(key, redis.config().defaultAck()));
    }

    /** See {@link RegionalRedis#deleteAsync(String, AckPolicy)}. */
    public CompletionStage<Version> deleteAsync(String key, AckPolicy ack) {
        return redis.delete(key, ack, userId);
    }

    /** Returns the value, or null if absent. */
    public V get(String key) {
        return getVersioned(key).map(Versioned::value).orElse(null);
    }

    /** Returns the value with its version. */
    public Optional<Versioned<V>> getVersioned(String key) {
        return redis.awaitRead(key, getVersionedAsync(key));
    }

    /** See {@link RegionalRedis#getVersionedAsync(String)}. */
    public CompletionStage<Optional<Versioned<V>>> getVersionedAsync(String key) {
        return redis.read(key, userId);
    }
}
