package io.regionrouter.jdbc.internal;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.Region;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.jdbc.JdbcRegionDirectory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening loop behind {@code DirectoryInvalidations}: connect, {@code LISTEN}, flush the
 * cache, then apply notifications until the connection fails or the feed is closed; reconnect
 * after a pause. Runs on its own daemon thread.
 */
public final class DirectoryFeed {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryFeed.class);

    private final JdbcRegionDirectory directory;
    private final CachingRegionDirectory cache;
    private final DataSource source;
    private final long pollMillis;
    private final long reconnectMillis;
    private final long keepAliveNanos;
    private final int networkMillis;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private volatile boolean listening;
    private volatile Connection current;
    private volatile Thread thread;

    public DirectoryFeed(JdbcRegionDirectory directory, CachingRegionDirectory cache, DataSource source, Duration poll,
            Duration reconnect, Duration keepAlive, Duration network) {
        this.directory = directory;
        this.cache = cache;
        this.source = source;
        this.pollMillis = poll.toMillis();
        this.reconnectMillis = reconnect.toMillis();
        this.keepAliveNanos = keepAlive.toNanos();
        this.networkMillis = (int) network.toMillis();
    }

    public String channel() {
        return directory.channel();
    }

    public void start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("DirectoryInvalidations[channel=" + channel() + "] was already started or closed");
        }
        Thread t = new Thread(this::run, "region-router-directory-feed-" + channel());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    public boolean isListening() {
        return listening;
    }

    public long notifications() {
        return notifications.get();
    }

    public long flushes() {
        return flushes.get();
    }

    private void run() {
        while (!closed.get()) {
            try {
                listen();
            } catch (SQLException | RuntimeException e) {
                if (!closed.get()) {
                    LOG.warn("directory feed on channel {} lost its connection ({}: {}); reconnecting in {} ms; until then"
                            + " cached users are bounded by the cache's expiry", channel(), e.getClass().getSimpleName(),
                            e.getMessage(), reconnectMillis);
                }
            } finally {
                listening = false;
            }
            if (closed.get()) {
                return;
            }
            try {
                Thread.sleep(reconnectMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void listen() throws SQLException {
        try (Connection c = source.getConnection()) {
            current = c;
            if (closed.get()) {
                return;
            }
            Executor direct = Runnable::run;
            c.setNetworkTimeout(direct, networkMillis);
            c.setAutoCommit(true);
            PGConnection pg = c.unwrap(PGConnection.class);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + channel());
                // anything committed before the LISTEN took effect may have been missed
                cache.invalidateAll();
                flushes.incrementAndGet();
                listening = true;
                long lastCheck = System.nanoTime();
                while (!closed.get()) {
                    PGNotification[] batch = pg.getNotifications((int) pollMillis);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            apply(n.getParameter());
                        }
                    }
                    if (System.nanoTime() - lastCheck >= keepAliveNanos) {
                        s.execute("SELECT 1");
                        lastCheck = System.nanoTime();
                    }
                }
            }
        } finally {
            current = null;
        }
    }

    private void apply(String payload) {
        int first = payload.indexOf(':');
        int second = first < 0 ? -1 : payload.indexOf(':', first + 1);
        try {
            if (second < 0) {
                throw new IllegalArgumentException("expected <epoch>:<region>:<user>");
            }
            long epoch = Long.parseLong(payload.substring(0, first));
            Region region = Region.of(payload.substring(first + 1, second));
            if (!directory.topology().contains(region)) {
                throw new IllegalArgumentException("region " + region + " is not in the topology " + directory.topology().regions());
            }
            String user = payload.substring(second + 1);
            notifications.incrementAndGet();
            // any role may NOTIFY on any channel: the payload only says which user to read again, and the
            // local copy already holds the row, because a trigger's notification is sent after its commit
            try {
                directory.lookupEntry(user).ifPresent(entry -> cache.assigned(user, entry.home(), entry.epoch()));
            } catch (RuntimeException e) {
                cache.invalidate(user);
                LOG.warn("directory feed on channel {} could not read user {} after a notification ({}); the user was"
                        + " invalidated", channel(), Bounds.truncate(user), e.getMessage());
            }
        } catch (RuntimeException e) {
            // another writer on the channel, or a row the router cannot route: the cache's expiry still bounds it
            LOG.warn("directory feed on channel {} ignored a notification it cannot read ({}): {}", channel(),
                    e.getMessage(), Bounds.truncate(payload));
        }
    }

    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread t = thread;
        if (t != null) {
            if (!listening) {
                t.interrupt(); // between connections it only sleeps or connects
            }
            try {
                t.join(pollMillis + networkMillis + 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                Connection c = current;
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        LOG.debug("directory feed on channel {}: closing its connection failed", channel(), e);
                    }
                }
                t.interrupt();
            }
        }
    }
}
