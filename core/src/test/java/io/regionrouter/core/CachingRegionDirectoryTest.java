package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CachingRegionDirectoryTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

    private final FakeTicker ticker = new FakeTicker();
    private final CountingDirectory delegate = new CountingDirectory().put("alice", "eu").put("bob", "us");

    private CachingRegionDirectory.Builder cache(RegionDirectory d) {
        return CachingRegionDirectory.builder(d).ticker(ticker).executor(Runnable::run);
    }

    @Test
    void lookup_loadsOnce_thenServesFromCache() {
        CachingRegionDirectory dir = cache(delegate).build();
        assertThat(dir.lookup("alice")).contains(EU);
        assertThat(dir.lookup("alice")).contains(EU);
        assertThat(dir.lookup("alice")).contains(EU);
        assertThat(delegate.lookups("alice")).isEqualTo(1);
        DirectoryStats stats = dir.stats();
        assertThat(stats.missCount()).isEqualTo(1);
        assertThat(stats.hitCount()).isEqualTo(2);
        assertThat(stats.loadSuccessCount()).isEqualTo(1);
        assertThat(stats.requestCount()).isEqualTo(3);
        assertThat(stats.hitRate()).isEqualTo(2.0 / 3);
    }

    @Test
    void manyThreadsOnOneColdKey_causeExactlyOneLoad() throws Exception {
        final int threads = 32;
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch loadEntered = new CountDownLatch(1);
        CountingDirectory slow = new CountingDirectory() {
            @Override
            void beforeAnswer(String user) {
                loadEntered.countDown();
                try {
                    // Hold the load until every thread has reached its lookup, so they all race the cold key.
                    ready.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }.put("alice", "eu");
        CachingRegionDirectory dir = cache(slow).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Optional<Region>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    ready.countDown();
                    return dir.lookup("alice");
                }));
            }
            start.countDown();
            for (Future<Optional<Region>> r : results) {
                assertThat(r.get(20, TimeUnit.SECONDS)).contains(EU);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loadEntered.getCount()).isZero();
        assertThat(slow.lookups("alice")).isEqualTo(1);
        assertThat(dir.stats().loadSuccessCount()).isEqualTo(1);
    }

    @Test
    void afterRefreshAfterWrite_servesStaleValueWhileRefreshing() {
        ManualExecutor executor = new ManualExecutor();
        CachingRegionDirectory dir = CachingRegionDirectory.builder(delegate).ticker(ticker).executor(executor)
                .refreshAfterWrite(Duration.ofMinutes(1)).expireAfterWrite(Duration.ofMinutes(10)).build();
        assertThat(dir.lookup("alice")).contains(EU);
        executor.runAll();
        delegate.put("alice", "us");

        ticker.advance(Duration.ofSeconds(61));
        assertThat(dir.lookup("alice")).as("stale value while the refresh is pending").contains(EU);
        assertThat(delegate.lookups("alice")).as("refresh has not run yet").isEqualTo(1);
        assertThat(executor.queued()).as("refresh queued on the executor").isPositive();

        executor.runAll();
        assertThat(delegate.lookups("alice")).isEqualTo(2);
        assertThat(dir.lookup("alice")).contains(US);
    }

    @Test
    void beforeRefreshAfterWrite_doesNotRefresh() {
        CachingRegionDirectory dir = cache(delegate).refreshAfterWrite(Duration.ofMinutes(1)).build();
        dir.lookup("alice");
        ticker.advance(Duration.ofSeconds(59));
        dir.lookup("alice");
        assertThat(delegate.lookups("alice")).isEqualTo(1);
    }

    @Test
    void failedRefresh_keepsServingTheOldValue() {
        ManualExecutor executor = new ManualExecutor();
        CachingRegionDirectory dir = CachingRegionDirectory.builder(delegate).ticker(ticker).executor(executor)
                .build();
        dir.lookup("alice");
        executor.runAll();
        delegate.failWith(new IllegalStateException("directory database down"));
        ticker.advance(Duration.ofMinutes(2));
        assertThat(dir.lookup("alice")).contains(EU);
        executor.runAll();
        assertThat(dir.lookup("alice")).contains(EU);
        assertThat(dir.stats().loadFailureCount()).isEqualTo(1);
    }

    @Test
    void afterExpireAfterWrite_loadsAgainSynchronously() {
        CachingRegionDirectory dir = cache(delegate).expireAfterWrite(Duration.ofMinutes(10))
                .refreshAfterWrite(Duration.ofMinutes(5)).build();
        dir.lookup("alice");
        delegate.put("alice", "us");
        ticker.advance(Duration.ofMinutes(10).plusNanos(1));
        assertThat(dir.lookup("alice")).contains(US);
        assertThat(delegate.lookups("alice")).isEqualTo(2);
    }

    @Test
    void unknownUser_isCachedForNegativeTtlOnly() {
        CachingRegionDirectory dir = cache(delegate).negativeTtl(Duration.ofSeconds(5)).build();
        assertThat(dir.lookup("alice")).contains(EU);
        assertThat(dir.lookup("zed")).isEmpty();
        delegate.put("zed", "us");

        ticker.advance(Duration.ofSeconds(5).minusNanos(1));
        assertThat(dir.lookup("zed")).as("still negatively cached").isEmpty();
        assertThat(delegate.lookups("zed")).isEqualTo(1);

        ticker.advance(Duration.ofNanos(1));
        assertThat(dir.lookup("zed")).as("negative entry expired").contains(US);
        assertThat(delegate.lookups("zed")).isEqualTo(2);
        assertThat(dir.lookup("alice")).as("known user outlives the negative TTL").contains(EU);
        assertThat(delegate.lookups("alice")).isEqualTo(1);
        assertThat(dir.stats().negativeCount()).isEqualTo(2);
    }

    @Test
    void zeroNegativeTtl_disablesTheNegativeCache() {
        CachingRegionDirectory dir = cache(delegate).negativeTtl(Duration.ZERO).build();
        dir.lookup("zed");
        dir.lookup("zed");
        assertThat(delegate.lookups("zed")).isEqualTo(2);
    }

    @Test
    void delegateFailure_propagatesWithUserAndCause_andIsNotCached() {
        CachingRegionDirectory dir = cache(delegate).build();
        IllegalStateException boom = new IllegalStateException("directory database down");
        delegate.failWith(boom);

        assertThatThrownBy(() -> dir.lookup("alice"))
                .isInstanceOf(DirectoryLookupException.class)
                .hasCause(boom)
                .hasMessageContaining("alice")
                .hasMessageContaining("directory database down")
                .satisfies(e -> assertThat(((DirectoryLookupException) e).userId()).contains("alice"));

        delegate.recover();
        assertThat(dir.lookup("alice")).as("failure was neither cached nor turned into 'unknown'").contains(EU);
        assertThat(delegate.lookups("alice")).isEqualTo(2);
        assertThat(dir.stats().loadFailureCount()).isEqualTo(1);
    }

    @Test
    void delegateFailureForUnknownUser_isNotCachedAsNegative() {
        CachingRegionDirectory dir = cache(delegate).build();
        delegate.failWith(new IllegalStateException("down"));
        assertThatThrownBy(() -> dir.lookup("zed")).isInstanceOf(DirectoryLookupException.class);
        delegate.recover();
        delegate.put("zed", "us");
        assertThat(dir.lookup("zed")).contains(US);
    }

    @Test
    void delegateReturningNull_isAFailure() {
        CachingRegionDirectory dir = cache(userId -> null).build();
        assertThatThrownBy(() -> dir.lookup("alice")).isInstanceOf(DirectoryLookupException.class)
                .hasMessageContaining("alice");
    }

    @Test
    void invalidate_forgetsOneUser() {
        CachingRegionDirectory dir = cache(delegate).build();
        dir.lookup("alice");
        dir.lookup("bob");
        delegate.put("alice", "us");
        delegate.put("bob", "eu");
        dir.invalidate("alice");
        assertThat(dir.lookup("alice")).contains(US);
        assertThat(dir.lookup("bob")).as("others stay cached").contains(US);
    }

    @Test
    void invalidateAll_forgetsEveryone() {
        CachingRegionDirectory dir = cache(delegate).build();
        dir.lookup("alice");
        dir.lookup("bob");
        dir.invalidateAll();
        dir.lookup("alice");
        dir.lookup("bob");
        assertThat(delegate.lookups("alice")).isEqualTo(2);
        assertThat(delegate.lookups("bob")).isEqualTo(2);
    }

    @Test
    void lookupAll_loadsOnlyMissingUsersInOneBulkCall_andOmitsUnknown() {
        CachingRegionDirectory dir = cache(delegate).build();
        dir.lookup("alice");
        Map<String, Region> homes = dir.lookupAll(List.of("alice", "bob", "zed"));
        assertThat(homes).containsOnly(Map.entry("alice", EU), Map.entry("bob", US));
        assertThat(delegate.bulkCalls()).hasSize(1);
        assertThat(delegate.bulkCalls().get(0)).containsExactlyInAnyOrder("bob", "zed");

        assertThat(dir.lookupAll(List.of("alice", "bob", "zed"))).hasSize(2);
        assertThat(delegate.bulkCalls()).as("everything, including the unknown user, is cached now").hasSize(1);
        assertThat(dir.lookup("zed")).isEmpty();
        assertThat(delegate.lookups("zed")).isZero();
    }

    @Test
    void lookupAll_failure_carriesUsersAndCause() {
        CachingRegionDirectory dir = cache(delegate).build();
        IllegalStateException boom = new IllegalStateException("down");
        delegate.failWith(boom);
        assertThatThrownBy(() -> dir.lookupAll(List.of("alice", "bob")))
                .isInstanceOf(DirectoryLookupException.class)
                .hasCause(boom)
                .satisfies(e -> assertThat(((DirectoryLookupException) e).userIds())
                        .containsExactlyInAnyOrder("alice", "bob"));
    }

    @Test
    void lookupAll_failure_cachesNothing_neitherKnownNorUnknown() {
        CachingRegionDirectory dir = cache(delegate).build();
        delegate.failWith(new IllegalStateException("down"));
        assertThatThrownBy(() -> dir.lookupAll(List.of("alice", "zed"))).isInstanceOf(DirectoryLookupException.class);
        delegate.recover();
        delegate.put("zed", "us");
        assertThat(dir.lookupAll(List.of("alice", "zed"))).containsOnly(Map.entry("alice", EU), Map.entry("zed", US));
        assertThat(delegate.bulkCalls()).hasSize(2);
        assertThat(dir.stats().loadFailureCount()).isEqualTo(1);
    }

    @Test
    void lookupAll_withANullId_isRejectedBeforeTheDelegateIsAsked() {
        CachingRegionDirectory dir = cache(delegate).build();
        assertThatThrownBy(() -> dir.lookupAll(java.util.Arrays.asList("alice", null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("userIds must not contain null");
        assertThat(delegate.bulkCalls()).isEmpty();
    }

    @Test
    void maximumSize_evicts() {
        CachingRegionDirectory dir = cache(delegate.put("carol", "ap")).maximumSize(2).build();
        dir.lookup("alice");
        dir.lookup("bob");
        dir.lookup("carol");
        DirectoryStats stats = dir.stats();
        assertThat(stats.evictionCount()).isGreaterThanOrEqualTo(1);
        assertThat(stats.estimatedSize()).isLessThanOrEqualTo(2);
    }

    @Test
    void defaults_areDocumentedValues() {
        assertThat(CachingRegionDirectory.DEFAULT_MAXIMUM_SIZE).isEqualTo(100_000);
        assertThat(CachingRegionDirectory.DEFAULT_EXPIRE_AFTER_WRITE).isEqualTo(Duration.ofMinutes(10));
        assertThat(CachingRegionDirectory.DEFAULT_REFRESH_AFTER_WRITE).isEqualTo(Duration.ofMinutes(1));
        assertThat(CachingRegionDirectory.DEFAULT_NEGATIVE_TTL).isEqualTo(Duration.ofSeconds(5));
        assertThat(CachingRegionDirectory.builder(delegate).build().toString())
                .contains("maximumSize=100000", "expireAfterWrite=PT10M", "refreshAfterWrite=PT1M",
                        "negativeTtl=PT5S");
    }

    @Test
    void builder_rejectsBadValues_namingFieldAndValue() {
        CachingRegionDirectory.Builder b = CachingRegionDirectory.builder(delegate);
        assertThatThrownBy(() -> b.maximumSize(0)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.maximumSize must be >= 1, but was 0");
        assertThatThrownBy(() -> b.expireAfterWrite(Duration.ZERO)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.expireAfterWrite must be > 0, but was PT0S");
        assertThatThrownBy(() -> b.refreshAfterWrite(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.refreshAfterWrite must be > 0, but was PT-1S");
        assertThatThrownBy(() -> b.negativeTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.negativeTtl must be >= 0, but was PT-1S");
        assertThatThrownBy(() -> b.negativeTtl(null)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.negativeTtl must be >= 0, but was null");
    }

    @Test
    void build_rejectsRefreshNotShorterThanExpiry() {
        assertThatThrownBy(() -> CachingRegionDirectory.builder(delegate).expireAfterWrite(Duration.ofMinutes(1))
                .refreshAfterWrite(Duration.ofMinutes(1)).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.refreshAfterWrite must be shorter than cachingDirectory.expireAfterWrite"
                        + " (PT1M), but was PT1M")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field())
                        .isEqualTo("cachingDirectory.refreshAfterWrite"));
    }

    @Test
    void build_rejectsNegativeTtlLongerThanExpiry() {
        assertThatThrownBy(() -> CachingRegionDirectory.builder(delegate).expireAfterWrite(Duration.ofMinutes(2))
                .refreshAfterWrite(Duration.ofMinutes(1)).negativeTtl(Duration.ofMinutes(3)).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("cachingDirectory.negativeTtl must not be longer than cachingDirectory.expireAfterWrite"
                        + " (PT2M), but was PT3M");
    }

    @Test
    void cachedHome_answersOnlyFromTheCache_neverLoads() {
        CachingRegionDirectory dir = cache(delegate).build();
        assertThat(dir.cachedHome("alice")).isEmpty();
        assertThat(delegate.lookups("alice")).isZero();
        dir.lookup("alice");
        assertThat(dir.cachedHome("alice")).contains(EU);
        assertThat(dir.cachedHome("zed")).isEmpty();
        dir.lookup("zed");
        assertThat(dir.cachedHome("zed")).as("a user cached as unknown is not a cached home").isEmpty();
        assertThat(delegate.lookups("alice")).isEqualTo(1);
        assertThat(dir.stats().requestCount()).isEqualTo(2);
    }
}
