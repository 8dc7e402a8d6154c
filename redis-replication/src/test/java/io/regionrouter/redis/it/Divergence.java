package io.regionrouter.redis.it;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Compares what the servers hold directly, bypassing the library. */
final class Divergence {

    private Divergence() {
    }

    /** Every application key held by any of the regions (the library's own keys left out). */
    static Set<String> keys(ThreeRegions fixture, List<String> regions) {
        Set<String> keys = new TreeSet<>();
        for (String r : regions) {
            RedisCommands<String, String> c = fixture.direct(r);
            ScanCursor cursor = ScanCursor.INITIAL;
            while (true) {
                KeyScanCursor<String> page = c.scan(cursor, ScanArgs.Builder.limit(500));
                page.getKeys().stream().filter(k -> !k.startsWith("rr:")).forEach(keys::add);
                if (page.isFinished()) {
                    break;
                }
                cursor = page;
            }
        }
        return keys;
    }

    /** The keys whose version (v and w) is not the same in every one of {@code regions}. */
    static List<String> divergent(ThreeRegions fixture, Set<String> keys, List<String> regions) {
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            String first = null;
            boolean same = true;
            for (int i = 0; i < regions.size(); i++) {
                Map<String, String> h = fixture.direct(regions.get(i)).hgetall(key);
                String version = h.isEmpty() ? "absent" : h.get("v") + "@" + h.get("w");
                if (i == 0) {
                    first = version;
                } else if (!Objects.equals(first, version)) {
                    same = false;
                }
            }
            if (!same) {
                out.add(key);
            }
        }
        return out;
    }
}
