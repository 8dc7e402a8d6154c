package io.regionrouter.core;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import io.regionrouter.core.internal.CachedHome;
import io.regionrouter.core.internal.DirectoryLoader;
import io.regionrouter.core.internal.DurationChecks;
import io.regionrouter.core.internal.HomeRegionExpiry;

/**
 * A {@link RegionDirectory} that caches another one with Caffeine.
 *
 * <ul>
 *   <li>At most {@link Builder#maximumSize(long) maximumSize} users are cached (default
 *       {@value #DEFAULT_MAXIMUM_SIZE}).</li>
 *   <li>A known user's entry expires {@link Builder#expireAfterWrite(Duration) expireAfterWrite}
 *       after it was loaded (default 10 minutes).</li>
 *   <li>Once an entry is older than {@link Builder#refreshAfterWrite(Duration) refreshAfterWrite}
 *       (default 1 minute), the next lookup starts a reload on the {@link Builder#executor executor}
 *       and is answered with the old value while the reload runs. A failed reload keeps the old
 *       value.</li>
 *   <li>Concurrent lookups of the same uncached user cause exactly one load; the others wait for
 *       it.</li>
 *   <li>Unknown users are cached too, for the shorter {@link Builder#negativeTtl(Duration)
 *       negativeTtl} (default 5 seconds), so a flood of requests for a bad id does not reach the
 *       delegate. {@link Duration#ZERO} turns the negative cache off.</li>
 *   <li>A delegate that throws makes the lookup throw {@link DirectoryLookupException} with the
 *       user id and the cause. Failures are never cached and never become "unknown user".</li>
 *   <li>{@link #invalidate(String)} forgets a user (for example after the user moved region).</li>
 *   <li><b>Epochs.</b> When the delegate is a {@link VersionedRegionDirectory}, every entry carries
 *       the user's epoch, and an entry is never replaced by one of a lower epoch: a refresh that
 *       reads an older answer from a lagging copy keeps the newer one.
 *       {@link #assigned(String, Region, long)} applies an assignment learned from the directory's
 *       change feed (for example the JDBC directory's notifications) to the cached entry at once,
 *       negative entries included, and remembers it, so that a load which reads a copy that has not
 *       caught up yet returns the newer answer, not the older one. Answers of a directory without
 *       epochs have epoch 0.</li>
 * </ul>
 *
 * <p>Thread-safe. Lookups on the hit path do not block.
 */
public final class CachingRegionDirectory implements RegionDirectory {

    /** Default maximum number of cached users. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;
    /** Default lifetime of a known user's entry. */
    public static final Duration DEFAULT_EXPIRE_AFTER_WRITE = Duration.ofMinutes(10);
    /** Default age after which a lookup triggers a background refresh. */
    public static final Duration DEFAULT_REFRESH_AFTER_WRITE = Duration.ofMinutes(1);
    /** Default lifetime of an "unknown user" entry. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);

    private final RegionDirectory delegate;
    private final LoadingCache<String, CachedHome> cache;
    /** The newest assignment learned per user outside loads; a load never answers below it. */
    private final Cache<String, CachedHome> known;
    private final LongAdder negatives = new LongAdder();
    private final Builder settings;

    private CachingRegionDirectory(Builder b) {
        this.delegate = b.delegate;
        this.settings = b.copy();
        this.known = Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .expireAfterWrite(b.expireAfterWrite)
                .ticker(b.ticker)
                .executor(b.executor)
                .build();
        this.cache = Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .expireAfter(new HomeRegionExpiry(b.expireAfterWrite, b.negativeTtl))
                .refreshAfterWrite(b.refreshAfterWrite)
                .ticker(b.ticker)
                .executor(b.executor)
                .recordStats()
                .build(new DirectoryLoader(b.delegate, known::getIfPresent));
    }

    /**
     * Returns a builder that caches {@code delegate}.
     *
     * @param delegate the directory to cache
     */
    public static Builder builder(RegionDirectory delegate) {
        return new Builder(Objects.requireNonNull(delegate, "delegate"));
    }

    /**
     * {@inheritDoc}
     *
     * @throws DirectoryLookupException if the delegate failed to load the user
     */
    @Override
    public Optional<Region> lookup(String userId) {
        UserIds.check("userId", userId);
        Optional<Region> result;
        try {
            result = cache.get(userId).region();
        } catch (DirectoryLookupException e) {
            throw e;
        } catch (CompletionException e) {
            throw new DirectoryLookupException(userId, e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw new DirectoryLookupException(userId, e);
        }
        if (result.isEmpty()) {
            negatives.increment();
        }
        return result;
    }

    /**
     * Returns a user's home region if the cache holds it, without loading and without blocking: an
     * adapter that must bound every call answers a cached user on the caller's thread and sends only
     * a miss to a thread it can stop waiting for. An absent result means "not cached", which includes
     * users cached as unknown. Counts neither a hit nor a miss.
     *
     * @param userId the user
     * @return the cached home region, if any
     */
    public Optional<Region> cachedHome(String userId) {
        UserIds.check("userId", userId);
        CachedHome cached = cache.policy().getIfPresentQuietly(userId);
        return cached == null ? Optional.empty() : cached.region();
    }

    /**
     * Returns a user's cached entry with its epoch, without loading; empty if the user is not cached
     * or cached as unknown. Epoch 0 means the delegate has no epochs.
     *
     * @param userId the user
     * @return the cached home region and epoch, if any
     */
    public Optional<DirectoryEntry> cachedEntry(String userId) {
        UserIds.check("userId", userId);
        CachedHome cached = cache.policy().getIfPresentQuietly(userId);
        if (cached == null || !cached.known()) {
            return Optional.empty();
        }
        return Optional.of(new DirectoryEntry(cached.home(), cached.epoch()));
    }

    /**
     * Applies an assignment learned from the directory's change feed: the user's home is {@code home}
     * as of {@code epoch}. A cached entry of a lower epoch, or a negative entry, is replaced at once;
     * an entry of the same or a higher epoch is kept. A user who is not cached stays uncached (this
     * instance may never route them), but the assignment is remembered for
     * {@code expireAfterWrite}, so that a later load that reads a lagging copy answers with it
     * instead of the older answer.
     *
     * @param userId the user
     * @param home the home region assigned
     * @param epoch the assignment's epoch, &gt;= 1
     * @return true if a cached entry was replaced
     * @throws IllegalArgumentException if the user id breaks {@link UserIds#RULE} or the epoch is below 1
     */
    public boolean assigned(String userId, Region home, long epoch) {
        UserIds.check("userId", userId);
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, but was " + epoch);
        }
        CachedHome update = CachedHome.of(new DirectoryEntry(Objects.requireNonNull(home, "home"), epoch));
        known.asMap().merge(userId, update, CachedHome::newer);
        boolean[] replaced = {false};
        // computeIfPresent waits for a load of the same user in flight, then compares with its result
        cache.asMap().computeIfPresent(userId, (user, current) -> {
            if (update.epoch() > current.epoch()) { // a negative entry has epoch 0
                replaced[0] = true;
                return CachedHome.newer(current, update);
            }
            return current;
        });
        return replaced[0];
    }

    /**
     * Looks up many users at once: cached users are answered from the cache and the rest are
     * loaded from the delegate with one {@link RegionDirectory#lookupAll} call. Unknown users are
     * absent from the result and cached negatively, like single lookups. If that call fails,
     * nothing it was asked for is cached and the whole lookup fails.
     *
     * @throws DirectoryLookupException if the delegate failed; it lists the users of the call
     * @throws NullPointerException if {@code userIds} is or contains null
     */
    @Override
    public Map<String, Region> lookupAll(Collection<String> userIds) {
        Objects.requireNonNull(userIds, "userIds");
        for (String userId : userIds) {
            if (userId == null) {
                // checked here: a null would otherwise surface as a lookup failure of the directory
                throw new NullPointerException("userIds must not contain null, but one of its " + userIds.size()
                        + " elements was null");
            }
        }
        Map<String, CachedHome> all;
        try {
            all = cache.getAll(userIds);
        } catch (DirectoryLookupException e) {
            throw e;
        } catch (CompletionException e) {
            throw new DirectoryLookupException(userIds, e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            throw new DirectoryLookupException(userIds, e);
        }
        Map<String, Region> out = new LinkedHashMap<>();
        all.forEach((user, home) -> {
            if (home.known()) {
                out.put(user, home.home());
            } else {
                negatives.increment();
            }
        });
        return out;
    }

    /** Forgets one user, for example after the user moved to another region. */
    public void invalidate(String userId) {
        cache.invalidate(UserIds.check("userId", userId));
    }

    /** Forgets every user. */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /** Returns a snapshot of the counters. */
    public DirectoryStats stats() {
        CacheStats s = cache.stats();
        return new DirectoryStats(s.hitCount(), s.missCount(), s.loadSuccessCount(), s.loadFailureCount(),
                s.evictionCount(), negatives.sum(), cache.estimatedSize());
    }

    /** Returns the directory being cached. */
    public RegionDirectory delegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "CachingRegionDirectory{delegate=" + delegate + ", maximumSize=" + settings.maximumSize
                + ", expireAfterWrite=" + settings.expireAfterWrite + ", refreshAfterWrite="
                + settings.refreshAfterWrite + ", negativeTtl=" + settings.negativeTtl + '}';
    }

    /**
     * Builds a {@link CachingRegionDirectory}. Each setter checks its argument; {@link #build()}
     * checks the durations against each other. Not thread-safe.
     */
    public static final class Builder {

        private final RegionDirectory delegate;
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private Duration expireAfterWrite = DEFAULT_EXPIRE_AFTER_WRITE;
        private Duration refreshAfterWrite = DEFAULT_REFRESH_AFTER_WRITE;
        private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
        private Ticker ticker = Ticker.systemTicker();
        private Executor executor = ForkJoinPool.commonPool();

        private Builder(RegionDirectory delegate) {
            this.delegate = delegate;
        }

        /** Sets the maximum number of cached users; must be &gt;= 1. */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw new InvalidConfigurationException("cachingDirectory.maximumSize", maximumSize,
                        "cachingDirectory.maximumSize must be >= 1, but was " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /** Sets how long a known user's entry lives after it was loaded; must be positive. */
        public Builder expireAfterWrite(Duration expireAfterWrite) {
            this.expireAfterWrite = DurationChecks.positive("cachingDirectory.expireAfterWrite", expireAfterWrite);
            return this;
        }

        /**
         * Sets the age after which a lookup triggers a background reload while still answering with
         * the old value; must be positive and shorter than expireAfterWrite.
         */
        public Builder refreshAfterWrite(Duration refreshAfterWrite) {
            this.refreshAfterWrite = DurationChecks.positive("cachingDirectory.refreshAfterWrite",
                    refreshAfterWrite);
            return this;
        }

        /**
         * Sets how long an unknown user is remembered; must be &gt;= 0 and not longer than
         * expireAfterWrite. Zero turns the negative cache off.
         */
        public Builder negativeTtl(Duration negativeTtl) {
            this.negativeTtl = DurationChecks.nonNegative("cachingDirectory.negativeTtl", negativeTtl);
            return this;
        }

        /** Sets the time source, for tests. Default: {@link Ticker#systemTicker()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets the executor for background refreshes and cache maintenance. Default: the common
         * fork-join pool.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds the directory.
         *
         * @throws InvalidConfigurationException if the durations contradict each other
         */
        public CachingRegionDirectory build() {
            if (refreshAfterWrite.compareTo(expireAfterWrite) >= 0) {
                throw new InvalidConfigurationException("cachingDirectory.refreshAfterWrite", refreshAfterWrite,
                        "cachingDirectory.refreshAfterWrite must be shorter than cachingDirectory.expireAfterWrite ("
                                + expireAfterWrite + "), but was " + refreshAfterWrite);
            }
            if (negativeTtl.compareTo(expireAfterWrite) > 0) {
                throw new InvalidConfigurationException("cachingDirectory.negativeTtl", negativeTtl,
                        "cachingDirectory.negativeTtl must not be longer than cachingDirectory.expireAfterWrite ("
                                + expireAfterWrite + "), but was " + negativeTtl);
            }
            return new CachingRegionDirectory(this);
        }

        private Builder copy() {
            Builder b = new Builder(delegate);
            b.maximumSize = maximumSize;
            b.expireAfterWrite = expireAfterWrite;
            b.refreshAfterWrite = refreshAfterWrite;
            b.negativeTtl = negativeTtl;
            b.ticker = ticker;
            b.executor = executor;
            return b;
        }
    }
}
