package io.regionrouter.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.internal.ClusterSettings;
import io.regionrouter.mongo.internal.Credentials;
import io.regionrouter.mongo.internal.SentCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One region's client with what {@link RegionalMongoClients} needs to route to it. */
record RegionCluster(Region region, MongoClient client, MongoClientSettings settings, String database,
                     String maskedUri, ResidencyGuard guard, SentCommands sent) {

    private static final Logger LOG = LoggerFactory.getLogger(RegionalMongoClients.class);

    /** Validates every cluster first, then creates the clients; closes those created if one fails. */
    static Map<Region, RegionCluster> openAll(Topology topology, Map<Region, ConnectionString> uris, String database,
                                              String regionField, ClusterSettings.Choices defaults,
                                              ClusterSettings.Choices chosen) {
        Map<Region, String> databases = new LinkedHashMap<>();
        uris.forEach((region, uri) -> {
            String db = database != null ? database : uri.getDatabase();
            if (db == null) {
                throw new InvalidConfigurationException("database", null, "database must be set in the RegionalMongoConfig or in clusters."
                        + region + ".connectionString, but was neither (" + Credentials.mask(uri.getConnectionString()) + ")");
            }
            databases.put(region, db);
        });
        Map<Region, RegionCluster> clusters = new LinkedHashMap<>();
        try {
            uris.forEach((region, uri) -> {
                String masked = Credentials.mask(uri.getConnectionString());
                SentCommands sent = new SentCommands();
                MongoClientSettings settings = ClusterSettings.settings(region, uri, defaults, chosen, sent);
                MongoClient client = MongoClients.create(settings);
                clusters.put(region, new RegionCluster(region, client, settings, databases.get(region), masked,
                        ResidencyGuard.of(topology, region, regionField), sent));
                LOG.info("MongoDB client for region {}: {} database {}", region, masked, databases.get(region));
            });
        } catch (RuntimeException e) {
            clusters.values().forEach(c -> c.client().close());
            throw e;
        }
        return Collections.unmodifiableMap(clusters);
    }

    @Override
    public String toString() {
        return region + "=" + maskedUri + "/" + database;
    }
}
