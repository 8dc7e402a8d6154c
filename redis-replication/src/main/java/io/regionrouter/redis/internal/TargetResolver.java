package io.regionrouter.redis.internal;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionContext;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which regions a key lives in, failing closed. A key is GLOBAL only if its longest matching
 * namespace was declared GLOBAL; every other key, declared REGULATED or matching no namespace at all,
 * is REGULATED. GLOBAL keys live everywhere; REGULATED keys only in the regions that the residency
 * rules of the owner's home region allow. The owner is the user given explicitly, else the user of
 * the current {@link RegionContext}, else the context's explicit region is taken as the home region;
 * with none of them a REGULATED key is refused. Regions come in preference order: the local region
 * first, then by proximity from it. Thread-safe.
 */
public final class TargetResolver {

    private final RegionRouter router;
    private final Topology topology;
    private final List<Region> preference;
    private final Map<String, DataClass> namespaces;

    /** Creates the resolver. */
    public TargetResolver(RegionRouter router, Map<String, DataClass> namespaces) {
        this.router = router;
        this.topology = router.topology();
        List<Region> order = new ArrayList<>();
        order.add(topology.local());
        order.addAll(topology.proximity(topology.local()));
        this.preference = List.copyOf(order);
        this.namespaces = namespaces;
    }

    /** Returns the data class of a key: that of its longest matching namespace, else REGULATED. */
    public DataClass dataClass(String key) {
        String namespace = namespace(key);
        return namespace == null ? DataClass.REGULATED : namespaces.get(namespace);
    }

    /** Returns the longest declared namespace the key starts with, or null. */
    private String namespace(String key) {
        String best = null;
        for (String prefix : namespaces.keySet()) {
            if (key.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best;
    }

    /**
     * Returns the regions a key lives in, in preference order.
     *
     * @param key the key
     * @param userId the owner, or null to use the current RegionContext
     * @throws IllegalArgumentException if the key is REGULATED and no owner is known
     */
    public List<Region> targets(String key, String userId) {
        if (dataClass(key) == DataClass.GLOBAL) {
            return preference;
        }
        Region home = home(key, userId);
        Set<Region> allowed = topology.allowedRegions(home);
        List<Region> out = new ArrayList<>(allowed.size());
        for (Region r : preference) {
            if (allowed.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private Region home(String key, String userId) {
        if (userId != null) {
            return router.homeRegion(userId);
        }
        RegionContext ctx = RegionContext.current().orElse(null);
        if (ctx != null && ctx.userId().isPresent()) {
            return router.homeRegion(ctx.userId().get());
        }
        if (ctx != null && ctx.region().isPresent()) {
            return ctx.region().get();
        }
        if (namespace(key) == null) {
            throw new IllegalArgumentException("key " + Text.quote(key) + " matches no declared namespace, so it is"
                    + " REGULATED, but no user is known: declare reference data with"
                    + " RegionalRedisConfig.Builder.global(prefix), or write personal data with forUser(userId)"
                    + " or in a RegionContext for the user");
        }
        throw new IllegalArgumentException("key " + Text.quote(key) + " is REGULATED but no user is known: use"
                + " forUser(userId) or open a RegionContext for the user");
    }

    /**
     * Returns the region the current {@link RegionContext} names, when the call gives no owner of its
     * own; null otherwise. As in every module, such a call is served by exactly that region: never by
     * another, and not at all while that region's store is DOWN.
     *
     * @param userId the owner the call gives, or null
     */
    public Region namedRegion(String userId) {
        if (userId != null) {
            return null;
        }
        RegionContext ctx = RegionContext.current().orElse(null);
        return ctx == null ? null : ctx.region().orElse(null);
    }

    /** Returns every region, local first then by proximity. */
    public List<Region> preference() {
        return preference;
    }
}
