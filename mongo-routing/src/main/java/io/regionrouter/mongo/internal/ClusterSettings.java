package io.regionrouter.mongo.internal;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Builds the driver settings of one region's client. Precedence, lowest first: the library's
 * defaults, the options written in the connection string, the values set in the
 * {@code RegionalMongoConfig}, and finally the user's customizer.
 */
public final class ClusterSettings {

    private ClusterSettings() {
    }

    /** Parses a connection string, failing with the field name and the masked value. */
    public static ConnectionString parse(Region region, String uri) {
        String field = "clusters." + region + ".connectionString";
        if (uri == null || uri.isBlank()) {
            throw new InvalidConfigurationException(field, uri,
                    field + " must be a mongodb:// or mongodb+srv:// URI, but was \"" + uri + "\"");
        }
        try {
            return new ConnectionString(uri);
        } catch (RuntimeException e) {
            // The driver's message may quote the URI: the cause is a scrubbed copy of the driver's exception.
            String masked = Credentials.mask(uri);
            throw new InvalidConfigurationException(field, masked, field + " must be a valid MongoDB connection string ("
                    + Credentials.scrub(e.getMessage(), uri) + "), but was \"" + masked + "\"", scrubbed(e, uri, 0));
        }
    }

    /**
     * A copy of {@code failure} and its causes whose messages are scrubbed of {@code uri}'s secrets: an
     * {@link IllegalArgumentException} that names the original class and keeps its stack trace.
     */
    static IllegalArgumentException scrubbed(Throwable failure, String uri, int depth) {
        IllegalArgumentException copy = new IllegalArgumentException(failure.getClass().getName() + ": "
                + Credentials.scrub(failure.getMessage(), uri),
                failure.getCause() == null || failure.getCause() == failure || depth >= 8
                        ? null : scrubbed(failure.getCause(), uri, depth + 1));
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** One layer of settings (the library's defaults, or the values set), {@code null} where it sets none. */
    public record Choices(ReadPreference readPreference, WriteConcern writeConcern,
                          Duration serverSelectionTimeout, Duration connectTimeout, Duration operationTimeout,
                          String applicationName, BiConsumer<Region, MongoClientSettings.Builder> customizer) {
    }

    /**
     * The settings of one region's client. {@code sent} is added as a command listener after the
     * customizer, so that a customizer that replaces the listener list cannot remove it; it changes
     * no setting of the user's.
     */
    public static MongoClientSettings settings(Region region, ConnectionString uri, Choices defaults, Choices chosen,
                                               SentCommands sent) {
        MongoClientSettings.Builder b = MongoClientSettings.builder();
        apply(b, defaults);
        b.applyConnectionString(uri);
        apply(b, chosen);
        if (chosen.customizer() != null) {
            chosen.customizer().accept(region, b);
        }
        b.addCommandListener(sent);
        return b.build();
    }

    private static void apply(MongoClientSettings.Builder b, Choices c) {
        if (c.readPreference() != null) {
            b.readPreference(c.readPreference());
        }
        if (c.writeConcern() != null) {
            b.writeConcern(c.writeConcern());
        }
        if (c.serverSelectionTimeout() != null) {
            long ms = c.serverSelectionTimeout().toMillis();
            b.applyToClusterSettings(s -> s.serverSelectionTimeout(ms, TimeUnit.MILLISECONDS));
        }
        if (c.connectTimeout() != null) {
            int ms = (int) c.connectTimeout().toMillis();
            b.applyToSocketSettings(s -> s.connectTimeout(ms, TimeUnit.MILLISECONDS));
        }
        if (c.operationTimeout() != null) {
            b.timeout(c.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (c.applicationName() != null) {
            b.applicationName(c.applicationName());
        }
    }
}
