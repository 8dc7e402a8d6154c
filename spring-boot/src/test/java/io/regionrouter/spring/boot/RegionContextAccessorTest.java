package io.regionrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.regionrouter.core.RegionContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RegionContextAccessorTest {

    final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().contextRegistry(ContextRegistry.getInstance()).build();

    @Test
    void theAccessor_isFoundByTheGlobalRegistry() {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .anyMatch(a -> a.key().equals(RegionContextAccessor.KEY));
    }

    @Test
    void aSnapshot_carriesTheContextToAnotherThread_andRestoresThatThreadsOwn() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            // the worker has a context of its own, which a task must not see and must find again after
            worker.submit(() -> RegionContext.forUser("worker-own").open()).get();
            AtomicReference<String> during = new AtomicReference<>();
            ContextSnapshot snapshot;
            try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
                snapshot = snapshots.captureAll();
            }
            worker.submit(snapshot.wrap(() -> during.set(user()))).get();
            assertThat(during.get()).isEqualTo("alice");
            assertThat(worker.submit(RegionContextAccessorTest::user).get()).isEqualTo("worker-own");

            // with clearMissing, a snapshot without a context clears the worker's for the task
            ContextSnapshot empty = ContextSnapshotFactory.builder().contextRegistry(ContextRegistry.getInstance()).clearMissing(true)
                    .build().captureAll();
            worker.submit(empty.wrap(() -> during.set(user()))).get();
            assertThat(during.get()).isEqualTo("none");
            assertThat(worker.submit(RegionContextAccessorTest::user).get()).isEqualTo("worker-own");
        } finally {
            worker.shutdownNow();
        }
    }

    private static String user() {
        return RegionContext.current().flatMap(RegionContext::userId).orElse("none");
    }
}
