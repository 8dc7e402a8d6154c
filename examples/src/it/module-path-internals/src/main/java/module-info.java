module com.example.snooper {
    requires io.regionrouter.jdbc;
    requires io.regionrouter.redis;
}
