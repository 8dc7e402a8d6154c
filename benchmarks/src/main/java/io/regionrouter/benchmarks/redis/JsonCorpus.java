package io.regionrouter.benchmarks.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded set of realistic JSON payloads of the kinds a multi-region SaaS caches: catalog
 * products, user profiles, orders and search result pages, from a few hundred bytes to tens of KB.
 * Text is drawn from a vocabulary, numbers and ids vary, so the documents compress like real ones
 * rather than like repeated strings.
 */
final class JsonCorpus {

    private static final String[] WORDS = ("lamp desk oak steel matte black white warm light adjustable arm "
            + "base cable switch dimmable energy efficient led bulb included modern classic design room office "
            + "study bedroom living kitchen premium quality durable finish easy assembly warranty years shipping "
            + "free returns days customer rating review stars comfortable compact portable wireless charging usb "
            + "port battery hours color size material cotton linen wool leather recycled sustainable organic").split(" ");
    private static final String[] CITIES = {"Berlin", "Paris", "Austin", "Sydney", "Tokyo", "Madrid", "Toronto"};
    private static final String[] STATUS = {"created", "paid", "packed", "shipped", "delivered"};

    private JsonCorpus() {
    }

    static List<String> generate(int count, long seed) {
        Random r = new Random(seed);
        List<String> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(switch (i % 4) {
                case 0 -> product(r, i);
                case 1 -> profile(r, i);
                case 2 -> order(r, i);
                default -> searchPage(r, i);
            });
        }
        return docs;
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static String product(Random r, int id) {
        StringBuilder sb = new StringBuilder("{\"id\":").append(id)
                .append(",\"sku\":\"SKU-").append(100000 + r.nextInt(900000))
                .append("\",\"name\":\"").append(words(r, 4))
                .append("\",\"description\":\"").append(words(r, 20 + r.nextInt(120)))
                .append("\",\"price\":").append(r.nextInt(50000) / 100.0)
                .append(",\"currency\":\"EUR\",\"categories\":[\"").append(words(r, 1)).append("\",\"")
                .append(words(r, 1)).append("\"],\"attributes\":{\"color\":\"").append(words(r, 1))
                .append("\",\"material\":\"").append(words(r, 1)).append("\",\"weightGrams\":")
                .append(r.nextInt(5000)).append("},\"images\":[");
        int images = 1 + r.nextInt(6);
        for (int i = 0; i < images; i++) {
            sb.append(i > 0 ? "," : "").append("\"https://cdn.example.com/p/").append(id).append('/')
                    .append(Long.toHexString(r.nextLong())).append(".jpg\"");
        }
        sb.append("],\"stock\":{");
        for (int w = 0; w < 4; w++) {
            sb.append(w > 0 ? "," : "").append("\"wh-").append(w).append("\":").append(r.nextInt(500));
        }
        return sb.append("},\"rating\":").append(1 + r.nextInt(40) / 10.0).append(",\"reviews\":")
                .append(r.nextInt(3000)).append('}').toString();
    }

    private static String profile(Random r, int id) {
        StringBuilder sb = new StringBuilder("{\"userId\":\"u-").append(Long.toHexString(r.nextLong()))
                .append("\",\"email\":\"user").append(id).append("@example.com\",\"name\":\"")
                .append(words(r, 2)).append("\",\"address\":{\"street\":\"").append(r.nextInt(200)).append(' ')
                .append(words(r, 2)).append("\",\"city\":\"").append(CITIES[r.nextInt(CITIES.length)])
                .append("\",\"zip\":\"").append(10000 + r.nextInt(89999)).append("\"},\"preferences\":{\"locale\":\"en\","
                        + "\"newsletter\":").append(r.nextBoolean()).append(",\"theme\":\"dark\"},\"recent\":[");
        int events = 3 + r.nextInt(40);
        for (int i = 0; i < events; i++) {
            sb.append(i > 0 ? "," : "").append("{\"type\":\"").append(i % 3 == 0 ? "view" : i % 3 == 1 ? "cart" : "search")
                    .append("\",\"at\":").append(1_760_000_000_000L + r.nextInt(1_000_000_000))
                    .append(",\"ref\":\"SKU-").append(100000 + r.nextInt(900000)).append("\"}");
        }
        return sb.append("]}").toString();
    }

    private static String order(Random r, int id) {
        StringBuilder sb = new StringBuilder("{\"orderId\":\"o-").append(id).append("\",\"customer\":\"u-")
                .append(Long.toHexString(r.nextLong())).append("\",\"lines\":[");
        int lines = 1 + r.nextInt(25);
        double total = 0;
        for (int i = 0; i < lines; i++) {
            double price = r.nextInt(20000) / 100.0;
            int qty = 1 + r.nextInt(4);
            total += price * qty;
            sb.append(i > 0 ? "," : "").append("{\"sku\":\"SKU-").append(100000 + r.nextInt(900000))
                    .append("\",\"name\":\"").append(words(r, 3)).append("\",\"qty\":").append(qty)
                    .append(",\"unitPrice\":").append(price).append('}');
        }
        sb.append("],\"shipping\":{\"method\":\"standard\",\"city\":\"").append(CITIES[r.nextInt(CITIES.length)])
                .append("\"},\"total\":").append(Math.round(total * 100) / 100.0).append(",\"history\":[");
        int steps = 1 + r.nextInt(STATUS.length);
        for (int i = 0; i < steps; i++) {
            sb.append(i > 0 ? "," : "").append("{\"status\":\"").append(STATUS[i]).append("\",\"at\":")
                    .append(1_760_000_000_000L + r.nextInt(1_000_000_000)).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String searchPage(Random r, int id) {
        StringBuilder sb = new StringBuilder("{\"query\":\"").append(words(r, 2)).append("\",\"page\":")
                .append(1 + id % 5).append(",\"results\":[");
        int results = 5 + r.nextInt(45);
        for (int i = 0; i < results; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\":").append(r.nextInt(1_000_000)).append(",\"name\":\"")
                    .append(words(r, 4)).append("\",\"price\":").append(r.nextInt(50000) / 100.0)
                    .append(",\"thumb\":\"https://cdn.example.com/t/").append(Long.toHexString(r.nextLong()))
                    .append(".jpg\",\"inStock\":").append(r.nextBoolean()).append('}');
        }
        return sb.append("]}").toString();
    }
}
