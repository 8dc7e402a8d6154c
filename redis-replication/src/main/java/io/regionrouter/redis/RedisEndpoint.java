package io.regionrouter.redis;

import io.lettuce.core.RedisURI;
import java.util.Objects;

/**
 * Where one region's Redis lives. Today a region is a standalone server (or a proxy in front of
 * one); the connection layer is built so that a Redis Cluster endpoint can be added as another
 * factory without changing the replication logic.
 *
 * <p>{@link #toString()} never shows a password.
 *
 * @param uri a {@code rediss://} URI (or {@code redis://}, which needs
 *     {@link RegionalRedisConfig.Builder#allowPlaintext(boolean)}), possibly with credentials
 */
public record RedisEndpoint(String uri) {

    /**
     * Validates the endpoint.
     *
     * @throws IllegalArgumentException if the URI is null, blank or not a Redis URI
     */
    public RedisEndpoint {
        Objects.requireNonNull(uri, "endpoint.uri must not be null");
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw new IllegalArgumentException(
                    "endpoint.uri must start with redis:// or rediss://, but was \"" + mask(uri) + "\"");
        }
        try {
            RedisURI.create(uri);
        } catch (RuntimeException e) {
            // the driver's message quotes the whole URI, password included: neither it nor the cause is kept
            throw new IllegalArgumentException("endpoint.uri must be a valid Redis URI, but was \"" + mask(uri)
                    + "\" (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Returns a standalone endpoint.
     *
     * @param uri a {@code redis://host:port} URI
     * @return the endpoint
     */
    public static RedisEndpoint standalone(String uri) {
        return new RedisEndpoint(uri);
    }

    /**
     * Returns whether the endpoint uses TLS ({@code rediss://}). A {@code redis://} endpoint is
     * plaintext and is refused by {@link RegionalRedis.Builder#build()} unless
     * {@link RegionalRedisConfig.Builder#allowPlaintext(boolean)} opts in.
     */
    public boolean tls() {
        return uri.startsWith("rediss://");
    }

    /** Returns the URI with any password replaced by {@code ***}. */
    public String maskedUri() {
        return mask(uri);
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + mask(uri) + "]";
    }

    static String mask(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        return uri.substring(0, scheme + 3) + "***" + uri.substring(at);
    }
}
