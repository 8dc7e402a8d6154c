module com.example.consumer {
    requires io.regionrouter.jdbc.failover;
    requires io.regionrouter.mongo;
    requires io.regionrouter.redis;
}
