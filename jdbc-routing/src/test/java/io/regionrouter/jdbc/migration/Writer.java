package io.regionrouter.jdbc.migration;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.MoveGuard;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application thread of one instance: inserts rows for its users in turn, routed by the
 * instance's cached directory. A write refused during a freeze is retried after 10 ms; one refused
 * because the user moved away makes the instance look the user up again. A row is acknowledged
 * once its insert committed.
 */
final class Writer implements Runnable {

    final MoveFixture.Instance app;
    final List<String> users;
    final String watched;
    final AtomicLong ids;
    final Map<String, Queue<Long>> acked = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    final Queue<Long> blockedNanos = new ConcurrentLinkedQueue<>();
    final Map<Region, Long> firstWriteNanos = new ConcurrentHashMap<>();
    final Queue<SQLException> failures = new ConcurrentLinkedQueue<>();
    volatile boolean stop;

    Writer(MoveFixture.Instance app, List<String> users, String watched, AtomicLong ids) {
        this.app = app;
        this.users = users;
        this.watched = watched;
        this.ids = ids;
        users.forEach(u -> {
            acked.put(u, new ConcurrentLinkedQueue<>());
            refused.put(u, new AtomicLong());
        });
    }

    @Override
    public void run() {
        int turn = 0;
        while (!stop) {
            write(users.get(turn++ % users.size()));
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(String user) {
        long id = ids.incrementAndGet();
        long blockedSince = -1;
        while (!stop) {
            Region region = app.cache.lookup(user).orElseThrow();
            try (Connection c = app.pools.get(region).getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO notes (id, user_id, body, region) VALUES (?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, user);
                ps.setString(3, "write " + id);
                ps.setString(4, region.id());
                ps.executeUpdate();
                long now = System.nanoTime();
                acked.get(user).add(id);
                if (blockedSince >= 0) {
                    blockedNanos.add(now - blockedSince);
                }
                if (user.equals(watched)) {
                    firstWriteNanos.putIfAbsent(region, now);
                }
                return;
            } catch (SQLException e) {
                if (MoveGuard.isFrozen(e) || MoveGuard.isMovedAway(e)) {
                    refused.get(user).incrementAndGet();
                    blockedSince = blockedSince < 0 ? System.nanoTime() : blockedSince;
                    if (MoveGuard.isMovedAway(e)) {
                        app.cache.invalidate(user);
                    }
                } else {
                    failures.add(e);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
