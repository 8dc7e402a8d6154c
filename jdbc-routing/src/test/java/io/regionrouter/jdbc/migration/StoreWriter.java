package io.regionrouter.jdbc.migration;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import io.regionrouter.mongo.DocumentResidencyException;
import io.regionrouter.redis.AckPolicy;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * An application thread of one instance writing a new Redis key and a new MongoDB document for its
 * users in turn, routed by the instance's cached directory. A write refused by a freeze is retried
 * after 10 ms; one refused because the user moved away makes the instance look the user up again.
 * A key or document is acknowledged once its write returned.
 */
final class StoreWriter implements Runnable {

    final StoreFixture.Stores stores;
    final CachingRegionDirectory cache;
    final List<String> users;
    final String watched;
    final AtomicLong ids;
    final String name;
    final Map<String, Queue<String>> ackedKeys = new ConcurrentHashMap<>();
    final Map<String, Queue<String>> ackedDocs = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    final Queue<Long> blockedNanos = new ConcurrentLinkedQueue<>();
    final Map<Region, Long> firstWriteNanos = new ConcurrentHashMap<>();
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    volatile boolean stop;

    StoreWriter(String name, StoreFixture.Stores stores, CachingRegionDirectory cache, List<String> users, String watched,
            AtomicLong ids) {
        this.name = name;
        this.stores = stores;
        this.cache = cache;
        this.users = users;
        this.watched = watched;
        this.ids = ids;
        users.forEach(u -> {
            ackedKeys.put(u, new ConcurrentLinkedQueue<>());
            ackedDocs.put(u, new ConcurrentLinkedQueue<>());
            refused.put(u, new AtomicLong());
        });
    }

    @Override
    public void run() {
        int turn = 0;
        while (!stop) {
            String user = users.get(turn++ % users.size());
            long id = ids.incrementAndGet();
            retrying(user, () -> {
                String key = "{" + user + "}:" + name + id;
                stores.redis.forUser(user).set(key, "w" + id, null, AckPolicy.ALL);
                ackedKeys.get(user).add(key);
            });
            retrying(user, () -> {
                Region home = cache.lookup(user).orElseThrow();
                String docId = user + "/" + name + id;
                stores.mongo.forUser(user).getCollection(StoreFixture.COLLECTION).insertOne(new Document("_id", docId)
                        .append("userId", user).append("region", home.id()).append("n", id));
                ackedDocs.get(user).add(docId);
                if (user.equals(watched)) {
                    firstWriteNanos.putIfAbsent(home, System.nanoTime());
                }
            });
            pause(2);
        }
    }

    private void retrying(String user, Runnable write) {
        long blockedSince = -1;
        while (!stop) {
            try {
                write.run();
                if (blockedSince >= 0) {
                    blockedNanos.add(System.nanoTime() - blockedSince);
                }
                return;
            } catch (RuntimeException e) {
                boolean moved = UserMovedAwayException.isCauseOf(e);
                boolean frozen = UserFrozenException.isCauseOf(e);
                // the directory changed between the lookup that named the document's region and the route
                boolean raced = e instanceof DocumentResidencyException;
                if (!moved && !frozen && !raced) {
                    failures.add(e);
                    return;
                }
                refused.get(user).incrementAndGet();
                blockedSince = blockedSince < 0 ? System.nanoTime() : blockedSince;
                if (moved) {
                    cache.invalidate(user);
                }
                pause(10);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
