package io.regionrouter.redis;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A view of a {@link RegionalRedis} for exactly one region, as {@link RegionContext#forRegion(Region)}
 * defines it in every module: a read is served by that region only, never by another; a write or a
 * delete is homed in that region and copied only where that region's data may be held; and while
 * that region's Redis is DOWN, or if it is not a declared region, every call is refused at once with
 * {@link io.regionrouter.core.RegionUnavailableException}, before anything is sent. Each call runs as
 * if inside a {@code RegionContext.forRegion(region)} scope, whatever context the thread has.
 * Thread-safe; cheap to create.
 *
 * @param <V> the value type
 */
public final class RegionScopedRedis<V> {

    private final RegionalRedis<V> redis;
    private final RegionContext context;

    RegionScopedRedis(RegionalRedis<V> redis, Region region) {
        this.redis = redis;
        this.context = RegionContext.forRegion(region);
    }

    /** Returns the region. */
    public Region region() {
        return context.region().orElseThrow();
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
        return inRegion(() -> redis.writeFor(key, value, ttl, ack, null)).thenApply(WriteResult::version);
    }

    /** See {@link RegionalRedis#write(String, Object, Duration, AckPolicy)}. */
    public WriteResult write(String key, V value, Duration ttl, AckPolicy ack) {
        return redis.awaitWrite(key, inRegion(() -> redis.writeFor(key, value, ttl, ack, null)));
    }

    /** Deletes a key with the default ack policy. */
    public Version delete(String key) {
        return redis.awaitWrite(key, deleteAsync(key, redis.config().defaultAck()));
    }

    /** See {@link RegionalRedis#deleteAsync(String, AckPolicy)}. */
    public CompletionStage<Version> deleteAsync(String key, AckPolicy ack) {
        return inRegion(() -> redis.delete(key, ack, null));
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
        return inRegion(() -> redis.read(key, null));
    }

    /** The region is read from the thread's context when a call starts, so only the start needs the scope. */
    private <T> T inRegion(Supplier<T> call) {
        try (RegionContext.Scope ignored = context.open()) {
            return call.get();
        }
    }

    @Override
    public String toString() {
        return "RegionScopedRedis{" + region() + "}";
    }
}
