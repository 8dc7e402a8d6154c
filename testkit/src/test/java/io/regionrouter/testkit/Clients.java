package io.regionrouter.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;

/** Client factories with short, bounded timeouts for the integration tests. */
final class Clients {

    private Clients() {
    }

    /** A JDBC connection through the proxy as the app role, with 1 s connect and socket timeouts. */
    static Connection app(PostgresServer pg) throws SQLException {
        return connect(pg.jdbcUrl(), pg.appUser(), pg.appPassword(), 1);
    }

    /** A JDBC connection through the proxy as the superuser, with 1 s connect and socket timeouts. */
    static Connection superuser(PostgresServer pg) throws SQLException {
        return connect(pg.jdbcUrl(), pg.superUser(), pg.superPassword(), 1);
    }

    static Connection connect(String url, String user, String password, int timeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("socketTimeout", String.valueOf(timeoutSeconds));
        p.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        return DriverManager.getConnection(url, p);
    }

    /** A Lettuce client whose commands time out after {@code timeout}. */
    static RedisClient redis(RedisServer redis, Duration timeout) {
        RedisURI uri = RedisURI.create(redis.uri());
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .autoReconnect(true)
                .build());
        return client;
    }

    /** A Mongo client with 1 s socket and server-selection timeouts. */
    static MongoClient mongo(MongoServer mongo) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.connectionString()))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(1, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(1, TimeUnit.SECONDS).readTimeout(1, TimeUnit.SECONDS))
                .applyToServerSettings(b -> b.heartbeatFrequency(500, TimeUnit.MILLISECONDS)
                        .minHeartbeatFrequency(100, TimeUnit.MILLISECONDS))
                .build());
    }
}
