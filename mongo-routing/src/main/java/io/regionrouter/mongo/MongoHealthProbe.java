package io.regionrouter.mongo;

import com.mongodb.client.MongoClient;
import io.regionrouter.core.HealthProbe;
import org.bson.Document;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HealthProbe} that runs {@code {ping: 1}} against the {@code admin} database of one
 * cluster. The probe's timeout bounds the whole call, server selection included, through the
 * driver's client-side operation timeout, so a partitioned cluster fails the probe after the timeout
 * instead of after the server selection timeout.
 *
 * <p>The probe shares the client's pool and credentials, and any failure of the ping fails it. So,
 * unlike real calls, it also fails while every pooled connection stays busy past the timeout, and
 * while the server rejects the client's credentials (the driver then sets the server aside until
 * its monitor sees it again). Real calls are judged by what the server said; see
 * {@link RegionalMongoClients}.
 *
 * <p>Thread-safe (the client is).
 */
public final class MongoHealthProbe implements HealthProbe {

    private static final Document PING = new Document("ping", 1);

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
        Document reply = client.getDatabase("admin").withTimeout(millis, TimeUnit.MILLISECONDS).runCommand(PING);
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
