package io.regionrouter.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code region-router.mongo.*} settings: one MongoDB deployment per region. Unset values take the
 * library's defaults ({@code RegionalMongoConfig}).
 */
@ConfigurationProperties("region-router.mongo")
public class RegionRouterMongoProperties {

    /** Each region's connection string, such as {@code mongodb://app:secret@mongo.eu.internal/app?tls=true}. */
    private Map<String, String> regions = new LinkedHashMap<>();

    /** The database, unless each connection string names its own. */
    private String database;

    /** The document field that holds a document's home region. */
    private String regionField;

    /** How long server selection may wait. */
    private Duration serverSelectionTimeout;

    /** How long one operation may take, end to end. */
    private Duration operationTimeout;

    public Map<String, String> getRegions() {
        return regions;
    }

    public void setRegions(Map<String, String> regions) {
        this.regions = regions;
    }

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public String getRegionField() {
        return regionField;
    }

    public void setRegionField(String regionField) {
        this.regionField = regionField;
    }

    public Duration getServerSelectionTimeout() {
        return serverSelectionTimeout;
    }

    public void setServerSelectionTimeout(Duration serverSelectionTimeout) {
        this.serverSelectionTimeout = serverSelectionTimeout;
    }

    public Duration getOperationTimeout() {
        return operationTimeout;
    }

    public void setOperationTimeout(Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
    }

    @Override
    public String toString() {
        return "RegionRouterMongoProperties[regions=" + regions.keySet() + "]";
    }
}
