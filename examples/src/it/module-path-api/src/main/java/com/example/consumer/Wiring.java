package com.example.consumer;

import com.mongodb.client.MongoDatabase;
import io.regionrouter.core.Access;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Store;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.RegionalDataSources;
import io.regionrouter.jdbc.failover.FailoverManager;
import io.regionrouter.jdbc.replication.ReplicationPlan;
import io.regionrouter.mongo.RegionalMongoClients;
import io.regionrouter.mongo.RegionalMongoConfig;
import io.regionrouter.redis.AckPolicy;
import io.regionrouter.redis.RegionalRedis;
import javax.sql.DataSource;

/** Wires every store through the public API only; compiled, never run. */
public final class Wiring {

    private Wiring() {
    }

    public static Region route(RegionRouter router) {
        return router.route(Store.POSTGRES, "alice", DataClass.REGULATED, Access.WRITE);
    }

    public static RegionRouter router() {
        Topology topology = Topology.builder().regions("us", "eu").local("eu").primary("us").build();
        return RegionRouter.builder(topology)
                .directory(StaticRegionDirectory.builder().user("alice", "eu").build())
                .build();
    }

    public static DataSource postgres(RegionRouter router, String password) {
        RegionalDataSources pg = RegionalDataSources.builder(router)
                .region("us", RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://db.us/app").username("app").password(password).build())
                .region("eu", RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://db.eu/app").username("app").password(password).build())
                .build();
        FailoverManager.Builder failover = FailoverManager.builder(pg);
        return pg.routingDataSource();
    }

    public static ReplicationPlan plan() {
        return ReplicationPlan.builder().global("products").build();
    }

    public static MongoDatabase mongo(RegionRouter router) {
        RegionalMongoClients mongo = RegionalMongoClients.builder(router)
                .region("us", "mongodb://mongo.us/?replicaSet=us")
                .region("eu", "mongodb://mongo.eu/?replicaSet=eu")
                .config(RegionalMongoConfig.builder().database("app").build())
                .build();
        return mongo.forUser("alice");
    }

    public static Object redis(RegionRouter router) {
        RegionalRedis<String> redis = RegionalRedis.builder(router)
                .region("us", "redis://redis.us:6379")
                .region("eu", "redis://redis.eu:6379")
                .build();
        return redis.set("greeting", "hello", AckPolicy.LOCAL);
    }
}
