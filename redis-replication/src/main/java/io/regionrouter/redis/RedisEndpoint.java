package io.regionrouter.redis;

import io.lettuce.core.RedisURI;
import java.util.Objects;

/**
 * Where one region's Redis lives: a standalone server ({@link #standalone}, or a proxy in front of
 * one) or a Redis Cluster reached through one of its nodes ({@link #cluster}).
 *
 * <p>{@link #toString()} never shows a password.
 *
 * @param uri a {@code rediss://} URI (or {@code redis://}, which needs
 *     {@link RegionalRedisConfig.Builder#allowPlaintext(boolean)}), possibly with credentials
 * @param cluster whether the region's Redis is a Redis Cluster
 */
public record RedisEndpoint(String uri, boolean cluster) {

    /**
     * A standalone server's endpoint.
     *
     * @throws IllegalArgumentException if the URI is null, blank or not a Redis URI
     */
    public RedisEndpoint(String uri) {
        this(uri, false);
    }

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
     * Returns an endpoint for a region whose Redis is a Redis Cluster. The client discovers the other
     * nodes from this seed and follows the cluster's redirects; writes, hints, reads, the replayer
     * and the repair work against it unchanged, since every key they touch is one key or is
     * hash-tagged with its target region.
     *
     * @param seedUri a {@code redis://host:port} URI of any node
     * @return the endpoint
     */
    public static RedisEndpoint cluster(String seedUri) {
        return new RedisEndpoint(seedUri, true);
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
        return "RedisEndpoint[" + mask(uri) + (cluster ? ", cluster" : "") + "]";
    }

    /**
     * Masks the user information of any form of URI, well-formed or not ({@code redis//u:p@h},
     * {@code redis:/u:p@h}, {@code u:p@h}): everything between the scheme and its run of {@code :} and
     * {@code /}, or the start when there is none, and the last {@code @}. Values of query parameters
     * that name a password or secret are masked too.
     */
    static String mask(String uri) {
        String masked = uri;
        int at = uri.lastIndexOf('@');
        if (at >= 0) {
            int start = credentialsStart(uri);
            masked = uri.substring(0, start <= at ? start : 0) + "***" + uri.substring(at);
        }
        return SECRET_PARAMETER.matcher(masked).replaceAll("$1***");
    }

    private static final java.util.regex.Pattern SECRET_PARAMETER = java.util.regex.Pattern.compile(
            "(?i)([?&;][^=&;]*(?:pass|secret|token|auth)[^=&;]*=)[^&;#]*");

    /** Returns where the user information would start: after the scheme and its separators, else 0. */
    private static int credentialsStart(String uri) {
        int i = 0;
        while (i < uri.length() && (Character.isLetterOrDigit(uri.charAt(i)) || "+.-".indexOf(uri.charAt(i)) >= 0)) {
            i++;
        }
        if (i > 0 && uri.startsWith("://", i)) {
            return i + 3;
        }
        int separators = i;
        while (separators < uri.length() && (uri.charAt(separators) == ':' || uri.charAt(separators) == '/')) {
            separators++;
        }
        // without a scheme ("user:password@host") the user name is kept: only what follows it is secret
        return i == 0 || separators == i ? 0 : separators;
    }
}
