package io.regionrouter.redis.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.redis.RedisEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure by default, or loud. A {@code redis://} endpoint sends commands, values and the password in
 * plaintext: it is refused unless the configuration opts in with {@code allowPlaintext(true)}, and
 * logged at WARN when it does. A loopback address is no exception, since a local port may be a
 * plaintext tunnel to another host. A {@code rediss://} endpoint whose URI turns certificate
 * verification down ({@code verifyPeer=NONE} or {@code CA}) is the user's explicit choice and is
 * logged at WARN too. Endpoints appear only masked, never with their password. Stateless.
 */
public final class TransportSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(TransportSecurity.class);

    private TransportSecurity() {
    }

    /**
     * Checks every region's endpoint.
     *
     * @param endpoints the endpoints, in topology order
     * @param allowPlaintext whether {@code redis://} is accepted
     * @param local the local region, for log lines
     * @throws InvalidConfigurationException naming the first plaintext endpoint's field and masked URI,
     *     if plaintext is not allowed
     */
    public static void check(Map<Region, RedisEndpoint> endpoints, boolean allowPlaintext, Region local) {
        List<Region> plaintext = new ArrayList<>();
        for (Map.Entry<Region, RedisEndpoint> e : endpoints.entrySet()) {
            if (!e.getValue().tls()) {
                plaintext.add(e.getKey());
            }
        }
        if (!plaintext.isEmpty() && !allowPlaintext) {
            Region first = plaintext.get(0);
            String field = "redis.endpoint." + first.id();
            String masked = endpoints.get(first).maskedUri();
            String others = plaintext.size() == 1 ? ""
                    : " (plaintext too: " + plaintext.subList(1, plaintext.size()) + ")";
            throw new InvalidConfigurationException(field, masked, field + " must use rediss:// (TLS), but was \""
                    + masked + "\"" + others + "; to send commands, values and the password unencrypted, opt in"
                    + " with RegionalRedisConfig.Builder.allowPlaintext(true) (redis.allowPlaintext)");
        }
        for (Region region : plaintext) {
            LOG.warn("[redis {}] endpoint of region {} is plaintext: {} (redis.allowPlaintext=true); commands, values"
                    + " and the password cross the network unencrypted", local, region,
                    endpoints.get(region).maskedUri());
        }
        for (Map.Entry<Region, RedisEndpoint> e : endpoints.entrySet()) {
            if (e.getValue().tls()) {
                SslVerifyMode mode = RedisURI.create(e.getValue().uri()).getVerifyMode();
                if (mode != SslVerifyMode.FULL) {
                    LOG.warn("[redis {}] endpoint of region {} is TLS with certificate verification {}: {}; the server"
                            + " is not fully authenticated", local, e.getKey(), mode, e.getValue().maskedUri());
                }
            }
        }
    }
}
