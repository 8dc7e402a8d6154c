package io.regionrouter.spring.boot;

import com.mongodb.MongoClientSettings;
import io.regionrouter.core.Region;

/**
 * Changes one region's MongoDB driver settings before its client is built (pool sizes, TLS, listeners).
 * Every bean of this type is applied, in order, to every region's settings, after the starter's own.
 */
@FunctionalInterface
public interface RegionalMongoSettingsCustomizer {

    /**
     * Customizes a region's settings.
     *
     * @param region the region
     * @param settings its settings builder
     */
    void customize(Region region, MongoClientSettings.Builder settings);
}
