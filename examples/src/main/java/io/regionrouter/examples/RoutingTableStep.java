package io.regionrouter.examples;

import io.regionrouter.core.Access;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.DirectoryStats;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a few users to their home regions through the cached directory, and shows where their
 * regulated writes and global reads go. The second pass must be served from the cache.
 */
final class RoutingTableStep implements DemoStep {

  @Override
  public String title() {
    return "Routing table (directory through the cache)";
  }

  @Override
  public boolean run(DemoContext context) {
    Topology topology = Topology.builder()
        .regions(Demo.REGIONS.toArray(String[]::new))
        .local(Demo.LOCAL)
        .primary("us")
        .build();
    Map<String, Region> homes = new LinkedHashMap<>();
    homes.put("alice", Region.of("eu"));
    homes.put("bob", Region.of("us"));
    homes.put("chen", Region.of("ap"));
    homes.put("dora", Region.of("eu"));
    CachingRegionDirectory directory = CachingRegionDirectory.builder(StaticRegionDirectory.of(homes)).build();
    RegionRouter router = RegionRouter.builder(topology).directory(directory).build();

    boolean correct = true;
    context.console.line("%-6s %-5s %-16s %-12s", "user", "home", "regulated write", "global read");
    for (Map.Entry<String, Region> user : homes.entrySet()) {
      Region home = router.homeRegion(user.getKey());
      Region write = router.route(user.getKey(), DataClass.REGULATED, Access.WRITE);
      Region read = router.route(user.getKey(), DataClass.GLOBAL, Access.READ);
      context.console.line("%-6s %-5s %-16s %-12s", user.getKey(), home, write, read);
      correct &= home.equals(user.getValue()) && write.equals(user.getValue()) && read.equals(topology.local());
    }
    homes.keySet().forEach(router::homeRegion);
    DirectoryStats stats = directory.stats();
    context.console.line("directory cache: %s", stats);
    return correct && stats.hitCount() >= homes.size();
  }
}
