package io.regionrouter.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Secrets;
import io.regionrouter.core.support.Sql;
import io.regionrouter.jdbc.RegionPoolConfig;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a {@link RegionPoolConfig} into a {@link HikariConfig} for one region. */
public final class PoolFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PoolFactory.class);

    /** Prefix of every pool name; the region id follows. */
    public static final String POOL_NAME_PREFIX = "region-router-";

    private PoolFactory() {
    }

    /**
     * Builds the HikariCP configuration of a region's pool.
     *
     * @param region the region
     * @param config the region's pool settings
     * @param sessionSetting the validated name of the session setting that carries the region
     * @param failFast whether the pool must reach its database when it is created
     * @return a new HikariCP configuration
     */
    public static HikariConfig hikariConfig(Region region, RegionPoolConfig config, String sessionSetting,
            boolean failFast) {
        HikariConfig hikari = new HikariConfig();
        config.customizer().accept(hikari);
        hikari.setPoolName(POOL_NAME_PREFIX + region.id());
        // HikariCP logs its configuration at DEBUG and masks only "password": the real URL, the
        // credentials and every secret driver property go to a DriverDataSource it does not log
        hikari.setJdbcUrl(Secrets.maskUrl(config.jdbcUrl()));
        if (config.username() != null) {
            hikari.setUsername(config.username());
        }
        hikari.setPassword(null);
        hikari.setMaximumPoolSize(config.maximumPoolSize());
        hikari.setMinimumIdle(config.minimumIdle());
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setValidationTimeout(config.validationTimeout().toMillis());
        hikari.setIdleTimeout(config.idleTimeout().toMillis());
        hikari.setMaxLifetime(config.maxLifetime().toMillis());
        Properties driver = driverProperties(region, config, "region-router-" + region.id());
        if (config.weakerThanVerifiedTls()) {
            LOG.warn("region {}: PostgreSQL connections to {} do not require TLS verified against the host name"
                    + " (sslmode={}); passwords and data may cross the network readable", region,
                    Secrets.maskUrl(config.jdbcUrl()), config.sslMode() == null ? "driver default: prefer" : config.sslMode());
        }
        hikari.setDataSource(new DriverDataSource(config.jdbcUrl(), driver));
        // a copy for display only (HikariCP applies dataSourceProperties only with a dataSourceClassName)
        hikari.setDataSourceProperties(new Properties());
        driver.stringPropertyNames().stream().filter(k -> !k.equals("user") && !Secrets.isSecretKey(k))
                .forEach(k -> hikari.addDataSourceProperty(k, driver.getProperty(k)));
        hikari.setConnectionInitSql(Sql.bindRegion(sessionSetting, region.id()));
        // 1 ms: try once and fail at once; -1: start without a connection and let the pool retry.
        hikari.setInitializationFailTimeout(failFast ? 1 : -1);
        return hikari;
    }

    /**
     * The driver properties for a region's connections: the configured ones, the credentials, the
     * socket timeout, and connect and login timeouts derived from the connection timeout unless
     * configured.
     *
     * @param region the region
     * @param config the region's pool settings
     * @param applicationName the default {@code ApplicationName}
     * @return new properties, including {@code user} and {@code password} when set
     */
    public static Properties driverProperties(Region region, RegionPoolConfig config, String applicationName) {
        Properties props = new Properties();
        String seconds = Long.toString(ceilSeconds(config.connectionTimeout()));
        props.setProperty("connectTimeout", seconds);
        props.setProperty("loginTimeout", seconds);
        props.setProperty("socketTimeout", Long.toString(config.socketTimeout().toSeconds()));
        props.setProperty("ApplicationName", applicationName);
        config.dataSourceProperties().forEach(props::setProperty);
        if (config.sslMode() != null && !props.containsKey("sslmode")) {
            props.setProperty("sslmode", config.sslMode());
        }
        if (config.username() != null) {
            props.setProperty("user", config.username());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        return props;
    }

    private static long ceilSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
