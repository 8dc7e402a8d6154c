package io.regionrouter.examples;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.regionrouter.core.Region;
import io.regionrouter.mongo.DocumentResidencyException;
import io.regionrouter.mongo.RegionalMongoClients;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;

/**
 * MongoDB routing: each user's order lands in the home region's cluster, checked by asking each
 * region's server directly. The document guard rejects a document homed in another region, and one
 * without a region, before anything is sent.
 */
final class MongoStep implements DemoStep {

    private static final String COLLECTION = "orders";

    @Override
    public String title() {
        return "MongoDB (routing by region, document guard)";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        Map<String, MongoClient> direct = new LinkedHashMap<>();
        try {
            for (String region : Demo.REGIONS) {
                direct.put(region, MongoClients.create(context.regions.region(region).mongo().connectionString()));
            }
            return run(context, direct);
        } finally {
            direct.values().forEach(MongoClient::close);
        }
    }

    private boolean run(DemoContext context, Map<String, MongoClient> direct) {
        RegionalMongoClients mongo = context.services.mongo;
        DemoConsole out = context.console;
        boolean routed = true;
        for (Map.Entry<String, Region> user : RoutingTableStep.USERS.entrySet()) {
            Region home = user.getValue();
            mongo.forUser(user.getKey()).getCollection(COLLECTION)
                    .insertOne(new Document("user", user.getKey()).append("region", home.id()).append("total", 42));
            Map<String, Long> held = ordersPerServer(direct, user.getKey());
            out.line("order of %-5s (home %s) -> orders per server: %s", user.getKey(), home, held);
            routed &= held.get(home.id()) == 1 && held.values().stream().mapToLong(Long::longValue).sum() == 1;
        }

        Map<String, Long> usBefore = ordersPerServer(direct, "alice");
        MongoCollection<Document> usOrders = mongo.forRegion(DemoServices.US).getCollection(COLLECTION);
        boolean wrongRegionRejected = rejected(out, "an eu document into the us cluster",
                () -> usOrders.insertOne(new Document("user", "alice").append("region", "eu").append("total", 1)));
        boolean missingRegionRejected = rejected(out, "a document without a region into the us cluster",
                () -> usOrders.insertOne(new Document("user", "alice").append("total", 1)));
        boolean nothingSent = ordersPerServer(direct, "alice").equals(usBefore);
        out.line("nothing reached any server: %s", nothingSent ? "yes" : "NO");
        return routed && wrongRegionRejected && missingRegionRejected && nothingSent;
    }

    private static boolean rejected(DemoConsole out, String what, Runnable insert) {
        try {
            insert.run();
            out.line("guard: %s was NOT rejected", what);
            return false;
        } catch (DocumentResidencyException e) {
            out.line("guard rejected %s: %s", what, e.getMessage());
            return true;
        }
    }

    /** Counts the user's orders on each region's server, through plain clients of the demo's own. */
    private static Map<String, Long> ordersPerServer(Map<String, MongoClient> direct, String user) {
        Map<String, Long> counts = new LinkedHashMap<>();
        direct.forEach((region, client) -> counts.put(region,
                client.getDatabase("demo").getCollection(COLLECTION).countDocuments(Filters.eq("user", user))));
        return counts;
    }
}
