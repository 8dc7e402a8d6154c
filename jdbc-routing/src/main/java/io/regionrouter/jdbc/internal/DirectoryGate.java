package io.regionrouter.jdbc.internal;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.DirectoryLookupException;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Looks up home regions within a caller's budget. A {@code RegionDirectory} lookup blocks its thread
 * for as long as the directory takes (a cache miss of {@code CachingRegionDirectory} loads on the
 * caller's thread), so the lookup runs on a thread of this gate and the caller waits at most its
 * budget. A lookup that outlives its caller keeps running and fills the directory's cache for the
 * next one.
 *
 * <p>Concurrent lookups of one user share one run. At most {@value #MAX_THREADS} lookups run at
 * once; a caller that finds them all busy fails at once instead of queueing behind a directory that
 * does not answer. Thread-safe; {@link #close()} stops the threads.
 */
public final class DirectoryGate implements AutoCloseable {

    /** Most lookups that run at once. */
    static final int MAX_THREADS = 32;

    private final RegionRouter router;
    private final ThreadPoolExecutor executor;
    private final Map<String, CompletableFuture<Region>> inFlight = new ConcurrentHashMap<>();

    /**
     * Whether a directory's lookups may block: false only for an in-memory
     * {@link StaticRegionDirectory}, cached or not, which answers from a map.
     *
     * @param directory the router's directory
     * @return true unless the directory is known to answer at once
     */
    public static boolean mayBlock(RegionDirectory directory) {
        RegionDirectory d = directory instanceof CachingRegionDirectory cached ? cached.delegate() : directory;
        return !(d instanceof StaticRegionDirectory);
    }

    /**
     * Creates the gate; its threads start on demand and end after a minute without work.
     *
     * @param router the router whose directory is asked
     * @param name names the threads, such as the data sources' store
     */
    public DirectoryGate(RegionRouter router, String name) {
        this.router = router;
        this.executor = new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "region-router-directory-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Returns a user's home region, waiting at most {@code timeoutNanos}.
     *
     * @param userId the user
     * @param timeoutNanos the most to wait
     * @return the home region
     * @throws DirectoryLookupException if the directory failed, did not answer in time, or too many
     *     lookups are already running
     * @throws io.regionrouter.core.UnknownUserException if the directory does not know the user
     * @throws io.regionrouter.core.RegionUnavailableException if the home region is not in the topology
     */
    public Region homeRegion(String userId, long timeoutNanos) {
        if (router.directory() instanceof CachingRegionDirectory cached && cached.cachedHome(userId).isPresent()) {
            // a cache hit answers at once (a due refresh runs in the background), so no thread hop;
            // only an entry expiring between the check and the call could still load here
            return router.homeRegion(userId);
        }
        CompletableFuture<Region> lookup = inFlight.get(userId);
        if (lookup == null) {
            lookup = start(userId);
        }
        try {
            return lookup.get(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new DirectoryLookupException(userId, new TimeoutException("the region directory did not answer within "
                    + Duration.ofNanos(timeoutNanos).toMillis() + " ms, the connection budget left for the lookup"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the router's own exception, as a lookup on this thread would have thrown it
            }
            throw new DirectoryLookupException(userId, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryLookupException(userId, e);
        }
    }

    private CompletableFuture<Region> start(String userId) {
        CompletableFuture<Region> mine = new CompletableFuture<>();
        CompletableFuture<Region> existing = inFlight.putIfAbsent(userId, mine);
        if (existing != null) {
            return existing;
        }
        try {
            executor.execute(() -> {
                try {
                    mine.complete(router.homeRegion(userId));
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                } finally {
                    inFlight.remove(userId, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(userId, mine);
            mine.completeExceptionally(new DirectoryLookupException(userId, new RejectedExecutionException(
                    MAX_THREADS + " region directory lookups are already running; the directory is not keeping up", e)));
        }
        return mine;
    }

    /** Stops the lookup threads; lookups still running are interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
