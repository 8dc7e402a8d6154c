package io.regionrouter.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code region-router.redis.*} settings: one Redis per region, written in fan-out. Unset values
 * take the library's defaults ({@code RegionalRedisConfig}).
 */
@ConfigurationProperties("region-router.redis")
public class RegionRouterRedisProperties {

    /** Each region's Redis URI, such as {@code rediss://:secret@cache.eu.internal:6379}. */
    private Map<String, String> regions = new LinkedHashMap<>();

    /** Key prefixes of REGULATED data (kept in the user's allowed regions). */
    private List<String> regulated = new ArrayList<>();

    /** Key prefixes of GLOBAL data (written to every region). Keys under neither are refused. */
    private List<String> global = new ArrayList<>();

    /** Whether {@code redis://} without TLS is accepted (local development). */
    private boolean allowPlaintext;

    /** How long one Redis command may take. */
    private Duration commandTimeout;

    /** How long a delete's tombstone is kept. */
    private Duration tombstoneTtl;

    /** The most hints kept per region. */
    private Long hintLogMaxLength;

    /** The most hint bytes kept per region. */
    private Long hintLogMaxBytes;

    /** The price of one GB across regions, for the cost estimate. */
    private Double transferPricePerGb;

    public Map<String, String> getRegions() {
        return regions;
    }

    public void setRegions(Map<String, String> regions) {
        this.regions = regions;
    }

    public List<String> getRegulated() {
        return regulated;
    }

    public void setRegulated(List<String> regulated) {
        this.regulated = regulated;
    }

    public List<String> getGlobal() {
        return global;
    }

    public void setGlobal(List<String> global) {
        this.global = global;
    }

    public boolean isAllowPlaintext() {
        return allowPlaintext;
    }

    public void setAllowPlaintext(boolean allowPlaintext) {
        this.allowPlaintext = allowPlaintext;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getTombstoneTtl() {
        return tombstoneTtl;
    }

    public void setTombstoneTtl(Duration tombstoneTtl) {
        this.tombstoneTtl = tombstoneTtl;
    }

    public Long getHintLogMaxLength() {
        return hintLogMaxLength;
    }

    public void setHintLogMaxLength(Long hintLogMaxLength) {
        this.hintLogMaxLength = hintLogMaxLength;
    }

    public Long getHintLogMaxBytes() {
        return hintLogMaxBytes;
    }

    public void setHintLogMaxBytes(Long hintLogMaxBytes) {
        this.hintLogMaxBytes = hintLogMaxBytes;
    }

    public Double getTransferPricePerGb() {
        return transferPricePerGb;
    }

    public void setTransferPricePerGb(Double transferPricePerGb) {
        this.transferPricePerGb = transferPricePerGb;
    }

    @Override
    public String toString() {
        return "RegionRouterRedisProperties[regions=" + regions.keySet() + "]";
    }
}
