package io.regionrouter.examples;

import io.regionrouter.core.Access;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.DirectoryStats;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Store;
import io.regionrouter.core.UnknownUserException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Assigns a few users to home regions in the directory table (in the primary region, us) and routes
 * them through the cached directory. The first pass loads every user from the table, 40 ms away;
 * the second pass must be answered by the cache alone.
 */
final class RoutingTableStep implements DemoStep {

    /** The demo's users and their home regions; the other steps use them too. */
    static final Map<String, Region> USERS = users();

    private static Map<String, Region> users() {
        Map<String, Region> users = new LinkedHashMap<>();
        users.put("alice", DemoServices.EU);
        users.put("bob", DemoServices.US);
        users.put("chen", DemoServices.AP);
        users.put("dora", DemoServices.EU);
        return users;
    }

    @Override
    public String title() {
        return "Routing table (directory table in us, through the cache)";
    }

    @Override
    public boolean run(DemoContext context) throws Exception {
        DemoServices s = context.services;
        s.directoryTable.createTable(context.regions.region("us").postgres().superuserDataSource());
        for (Map.Entry<String, Region> user : USERS.entrySet()) {
            s.directoryTable.assign(user.getKey(), user.getValue());
            s.directory.invalidate(user.getKey());
        }
        context.console.line("assigned %d users in %s.region_directory (the primary region's table)",
                USERS.size(), s.topology.primary());

        RegionRouter router = s.router;
        DirectoryStats before = s.directory.stats();
        long firstPass = System.nanoTime();
        boolean correct = true;
        context.console.line("%-6s %-5s %-16s %-16s %-12s", "user", "home", "regulated write", "global write",
                "global read");
        for (Map.Entry<String, Region> user : USERS.entrySet()) {
            Region home = router.homeRegion(user.getKey());
            Region write = router.route(Store.POSTGRES, user.getKey(), DataClass.REGULATED, Access.WRITE);
            Region globalWrite = router.route(Store.POSTGRES, user.getKey(), DataClass.GLOBAL, Access.WRITE);
            Region read = router.route(Store.POSTGRES, user.getKey(), DataClass.GLOBAL, Access.READ);
            context.console.line("%-6s %-5s %-16s %-16s %-12s", user.getKey(), home, write, globalWrite, read);
            correct &= home.equals(user.getValue()) && write.equals(user.getValue())
                    && globalWrite.equals(s.topology.primary()) && read.equals(s.topology.local());
        }
        firstPass = System.nanoTime() - firstPass;
        DirectoryStats middle = s.directory.stats();

        long secondPass = System.nanoTime();
        for (Map.Entry<String, Region> user : USERS.entrySet()) {
            correct &= router.homeRegion(user.getKey()).equals(user.getValue());
        }
        secondPass = System.nanoTime() - secondPass;
        DirectoryStats after = s.directory.stats();

        long firstLoads = middle.loadSuccessCount() - before.loadSuccessCount();
        long secondLoads = after.loadSuccessCount() - middle.loadSuccessCount();
        long secondHits = after.hitCount() - middle.hitCount();
        context.console.line("first pass : %d users, %d loaded from the table in us, %s", USERS.size(), firstLoads,
                Measurements.millis(firstPass));
        context.console.line("second pass: %d users, %d cache hits, %d loads, %s", USERS.size(), secondHits,
                secondLoads, Measurements.millis(secondPass));
        context.console.line("cache stats: hits=%d misses=%d loads=%d size=%d", after.hitCount(), after.missCount(),
                after.loadSuccessCount(), after.estimatedSize());
        boolean unknownRefused;
        try {
            router.route(Store.POSTGRES, "zoe", DataClass.REGULATED, Access.WRITE);
            unknownRefused = false;
            context.console.line("zoe (not in the directory): routed anyway, which must not happen");
        } catch (UnknownUserException e) {
            unknownRefused = true;
            context.console.line("zoe (not in the directory): refused, %s (remembered for a few seconds)",
                    e.getMessage());
        }
        boolean loadedOncePerUser = firstLoads == USERS.size();
        boolean secondPassFromCache = secondLoads == 0 && secondHits == USERS.size();
        return correct && loadedOncePerUser && secondPassFromCache && unknownRefused;
    }
}
