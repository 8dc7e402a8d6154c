package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.internal.DirectoryGate;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirectoryGateTest {

    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("eu").primary("us").build();

    /** A directory that answers only once released: a cache miss through it cannot finish within a zero budget. */
    private static final class GatedDirectory implements RegionDirectory {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Optional<Region> lookup(String userId) {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(Region.of("eu"));
        }
    }

    @Test
    void aCachedUser_isAnsweredOnTheCallersThread_evenWithNoBudgetLeft_whileAMissWaitsAtMostTheBudget() {
        GatedDirectory slow = new GatedDirectory();
        CachingRegionDirectory cache = CachingRegionDirectory.builder(slow).build();
        RegionRouter router = RegionRouter.builder(TOPOLOGY).directory(cache).build();
        try (DirectoryGate gate = new DirectoryGate(router, "test")) {
            assertThatThrownBy(() -> gate.homeRegion("alice", TimeUnit.MILLISECONDS.toNanos(50)))
                    .as("a miss against a directory that does not answer ends at the budget")
                    .isInstanceOf(DirectoryLookupException.class);
            slow.release.countDown();
            assertThat(router.homeRegion("alice")).isEqualTo(Region.of("eu"));
            assertThat(gate.homeRegion("alice", 0)).as("cached: no thread hop, so no budget is needed")
                    .isEqualTo(Region.of("eu"));
        }
    }
}
