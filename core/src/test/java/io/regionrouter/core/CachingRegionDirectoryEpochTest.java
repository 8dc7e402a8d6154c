package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Epochs in the caching directory: an older answer never replaces a newer one. */
class CachingRegionDirectoryEpochTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

    private final FakeTicker ticker = new FakeTicker();
    private final VersionedMap copy = new VersionedMap();

    private CachingRegionDirectory cache() {
        return CachingRegionDirectory.builder(copy).ticker(ticker).executor(Runnable::run)
                .refreshAfterWrite(Duration.ofSeconds(10)).expireAfterWrite(Duration.ofMinutes(1))
                .negativeTtl(Duration.ofSeconds(30)).build();
    }

    @Test
    void refresh_readingALaggingCopy_keepsTheNewerEntry() {
        copy.put("alice", US, 2);
        CachingRegionDirectory dir = cache();
        assertThat(dir.lookup("alice")).contains(US);

        copy.put("alice", EU, 1); // a copy that lags behind the one read first
        ticker.advance(Duration.ofSeconds(11));
        assertThat(dir.lookup("alice")).contains(US); // triggers the refresh, answered from the old value
        assertThat(copy.reads.get()).isEqualTo(2);
        assertThat(dir.lookup("alice")).contains(US);
        assertThat(dir.cachedEntry("alice")).contains(new DirectoryEntry(US, 2));
    }

    @Test
    void refresh_readingANewerEpoch_replacesTheEntry() {
        copy.put("alice", EU, 1);
        CachingRegionDirectory dir = cache();
        assertThat(dir.lookup("alice")).contains(EU);

        copy.put("alice", US, 2);
        ticker.advance(Duration.ofSeconds(11));
        dir.lookup("alice");
        assertThat(dir.lookup("alice")).contains(US);
    }

    @Test
    void assigned_replacesANegativeEntry_withoutALoad() {
        CachingRegionDirectory dir = cache();
        assertThat(dir.lookup("newbie")).isEmpty();

        assertThat(dir.assigned("newbie", EU, 1)).isTrue();
        assertThat(dir.lookup("newbie")).contains(EU);
        assertThat(copy.reads.get()).isEqualTo(1);
    }

    @Test
    void assigned_replacesAnOlderEntry_butNotANewerOne() {
        copy.put("alice", EU, 3);
        CachingRegionDirectory dir = cache();
        dir.lookup("alice");

        assertThat(dir.assigned("alice", US, 2)).isFalse();
        assertThat(dir.lookup("alice")).contains(EU);
        assertThat(dir.assigned("alice", US, 4)).isTrue();
        assertThat(dir.lookup("alice")).contains(US);
        assertThat(dir.cachedEntry("alice")).contains(new DirectoryEntry(US, 4));
    }

    @Test
    void loadAfterInvalidate_fromALaggingCopy_answersTheAssignmentLearned() {
        copy.put("alice", EU, 1);
        CachingRegionDirectory dir = cache();
        dir.lookup("alice");

        dir.assigned("alice", US, 2);
        dir.invalidate("alice"); // the local copy has not caught up: it still says eu at epoch 1
        assertThat(dir.lookup("alice")).contains(US);
        assertThat(copy.reads.get()).isEqualTo(2);
    }

    @Test
    void assigned_forAnUncachedUser_doesNotCacheIt() {
        CachingRegionDirectory dir = cache();
        assertThat(dir.assigned("bob", EU, 1)).isFalse();
        assertThat(dir.cachedHome("bob")).isEmpty();
    }

    @Test
    void lookupAll_readingALaggingCopy_answersTheAssignmentLearned() {
        copy.put("alice", EU, 1);
        copy.put("bob", EU, 5);
        CachingRegionDirectory dir = cache();
        dir.assigned("alice", US, 2);

        assertThat(dir.lookupAll(List.of("alice", "bob"))).containsExactlyInAnyOrderEntriesOf(Map.of("alice", US, "bob", EU));
    }

    @Test
    void assignedWhileALoadReadsTheOlderAnswer_theNewerEpochWins() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        VersionedMap slow = new VersionedMap() {
            @Override
            public Optional<DirectoryEntry> lookupEntry(String userId) {
                Optional<DirectoryEntry> read = super.lookupEntry(userId); // reads epoch 1 ...
                loading.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS); // ... and answers after the assignment was applied
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return read;
            }
        };
        slow.put("alice", EU, 1);
        CachingRegionDirectory dir = CachingRegionDirectory.builder(slow).ticker(ticker).executor(Runnable::run).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Region>> load = pool.submit(() -> dir.lookup("alice"));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> assigned = pool.submit(() -> dir.assigned("alice", US, 2)); // waits for the load's entry
            release.countDown();
            load.get(10, TimeUnit.SECONDS);
            assigned.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(dir.lookup("alice")).contains(US);
        assertThat(dir.cachedEntry("alice")).contains(new DirectoryEntry(US, 2));
    }

    @Test
    void assigned_rejectsAnEpochBelowOne() {
        CachingRegionDirectory dir = cache();
        assertThatThrownBy(() -> dir.assigned("alice", EU, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epoch must be >= 1, but was 0");
    }

    /** A versioned directory backed by a map, counting reads. */
    static class VersionedMap implements VersionedRegionDirectory {
        final Map<String, DirectoryEntry> entries = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        void put(String user, Region home, long epoch) {
            entries.put(user, new DirectoryEntry(home, epoch));
        }

        @Override
        public Optional<DirectoryEntry> lookupEntry(String userId) {
            reads.incrementAndGet();
            return Optional.ofNullable(entries.get(userId));
        }
    }
}
