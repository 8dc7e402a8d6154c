package io.regionrouter.examples;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.regionrouter.testkit.LocalRegion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.bson.Document;

/** Prints every region's endpoints and proves each server answers through its proxy. */
final class EndpointsStep implements DemoStep {

    @Override
    public String title() {
        return "Regions and their servers";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        boolean allAnswered = true;
        for (String name : context.regions.names()) {
            LocalRegion region = context.regions.region(name);
            boolean pg = postgresAnswers(region);
            boolean redis = redisAnswers(region);
            boolean mongo = mongoAnswers(region);
            context.console.line("%-3s postgres %-45s %s", name, region.postgres().jdbcUrl(), verdict(pg));
            context.console.line("    redis    %-45s %s", region.redis().uri(), verdict(redis));
            context.console.line("    mongo    %-45s %s", region.mongo().connectionString(), verdict(mongo));
            allAnswered &= pg && redis && mongo;
        }
        return allAnswered;
    }

    private static String verdict(boolean answered) {
        return answered ? "answers" : "NO ANSWER";
    }

    private static boolean postgresAnswers(LocalRegion region) throws Exception {
        var pg = region.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.appUser(), pg.appPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    private static boolean redisAnswers(LocalRegion region) {
        RedisClient client = RedisClient.create(region.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return "PONG".equals(connection.sync().ping());
        } finally {
            client.shutdown();
        }
    }

    private static boolean mongoAnswers(LocalRegion region) {
        try (MongoClient client = MongoClients.create(region.mongo().connectionString())) {
            Document reply = client.getDatabase("admin").runCommand(new Document("ping", 1));
            return reply.get("ok") instanceof Number ok && ok.doubleValue() == 1.0;
        }
    }
}
