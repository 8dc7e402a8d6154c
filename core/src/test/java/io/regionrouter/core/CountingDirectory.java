package io.regionrouter.core;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A mutable directory for tests that counts its calls and can be told to fail. Thread-safe. */
class CountingDirectory implements RegionDirectory {

    private final Map<String, Region> homes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<List<String>> bulkCalls = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    CountingDirectory put(String user, String region) {
        homes.put(user, Region.of(region));
        return this;
    }

    void remove(String user) {
        homes.remove(user);
    }

    void failWith(RuntimeException e) {
        failure.set(e);
    }

    void recover() {
        failure.set(null);
    }

    int lookups(String user) {
        AtomicInteger n = lookups.get(user);
        return n == null ? 0 : n.get();
    }

    int totalLookups() {
        return lookups.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    List<List<String>> bulkCalls() {
        return List.copyOf(bulkCalls);
    }

    /** Hook for subclasses, called inside every single lookup before answering. */
    void beforeAnswer(String user) {
    }

    @Override
    public Optional<Region> lookup(String userId) {
        lookups.computeIfAbsent(userId, k -> new AtomicInteger()).incrementAndGet();
        beforeAnswer(userId);
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        return Optional.ofNullable(homes.get(userId));
    }

    @Override
    public Map<String, Region> lookupAll(Collection<String> userIds) {
        bulkCalls.add(List.copyOf(userIds));
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
        Map<String, Region> out = new ConcurrentHashMap<>();
        userIds.forEach(u -> {
            Region r = homes.get(u);
            if (r != null) {
                out.put(u, r);
            }
        });
        return out;
    }
}
