package io.regionrouter.mongo;

import com.mongodb.client.MongoClient;
import io.regionrouter.core.HealthProbe;
import io.regionrouter.mongo.internal.CallVerdict;
import io.regionrouter.mongo.internal.FailureClassifier;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HealthProbe} that runs {@code {ping: 1}} against the {@code admin} database of one
 * cluster. The probe's timeout bounds the whole call, server selection included, through the
 * driver's client-side operation timeout, so a partitioned cluster fails the probe after the timeout
 * instead of after the server selection timeout.
 *
 * <p>The probe judges reachability, as real calls are judged: it fails when the cluster could not be
 * reached or did not answer in time, or on anything it cannot judge (the client closed, the pool
 * exhausted). A server that answers with an error, such as a rejected password during the
 * handshake, is reachable: the probe passes and logs the error at DEBUG, because another region
 * would not serve these users' data any better and the error reaches the callers anyway.
 *
 * <p>Thread-safe (the client is).
 */
public final class MongoHealthProbe implements HealthProbe {

    private static final Document PING = new Document("ping", 1);
    private static final Logger LOG = LoggerFactory.getLogger(MongoHealthProbe.class);

    private final MongoClient client;

    private MongoHealthProbe(MongoClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** A probe for the cluster behind {@code client}. */
    public static MongoHealthProbe of(MongoClient client) {
        return new MongoHealthProbe(client);
    }

    @Override
    public void check(Duration timeout) throws Exception {
        long millis = Math.max(1, timeout.toMillis());
        Document reply;
        try {
            reply = client.getDatabase("admin").withTimeout(millis, TimeUnit.MILLISECONDS).runCommand(PING);
        } catch (RuntimeException e) {
            if (FailureClassifier.classify(e) != CallVerdict.ANSWERED) {
                throw e;
            }
            LOG.debug("ping was answered with an error; the cluster is reachable, so the probe passes", e);
            return;
        }
        Object ok = reply.get("ok");
        if (!(ok instanceof Number number) || number.doubleValue() != 1.0) {
            throw new IllegalStateException("ping replied without ok: 1, but with ok: " + ok);
        }
    }

    @Override
    public String toString() {
        return "MongoHealthProbe{ping}";
    }
}
