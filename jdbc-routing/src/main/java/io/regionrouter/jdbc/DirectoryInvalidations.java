package io.regionrouter.jdbc;

import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.jdbc.internal.DirectoryFeed;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Keeps one instance's {@link CachingRegionDirectory} in step with a {@link JdbcRegionDirectory}
 * across the fleet, through PostgreSQL {@code LISTEN}/{@code NOTIFY}.
 *
 * <p>One daemon thread holds one dedicated connection, runs {@code LISTEN <channel>} and waits for
 * notifications with pgjdbc's {@code PGConnection.getNotifications(timeout)}. Each notification
 * carries {@code <epoch>:<region>:<user>}; because any role may send a {@code NOTIFY} on any
 * channel, the payload is only trusted to name the user: the listener reads the user's row from
 * the directory (the local copy first, which already holds it, since a notification is delivered
 * after its transaction committed) and applies it with {@link CachingRegionDirectory#assigned}: a
 * cached entry of a lower epoch, a negative entry of a new user included, is replaced at once, and a
 * load that reads an older copy later cannot bring the old answer back. A user whose row cannot be
 * read is invalidated.
 *
 * <p><b>Which database to listen to.</b> Listen to the local region's copy of the directory: the
 * table's trigger fires there when replication applies a row, so a notification never arrives
 * before the row it announces, and the channel keeps working while the primary region is down.
 * In the primary region that copy is the primary itself.
 *
 * <p><b>What it loses, and the backstops.</b> {@code NOTIFY} reaches only sessions that are
 * listening. So every time the listener (re)connects and its {@code LISTEN} has committed, it
 * flushes the whole cache ({@link CachingRegionDirectory#invalidateAll()}): anything it may have
 * missed is reloaded. A silent link is found by a {@code SELECT 1} every
 * {@link Builder#keepAliveInterval keepAliveInterval}, bounded by the connection's network timeout.
 * While it is disconnected the cache's {@code expireAfterWrite} is the bound, and for a moved user
 * the old region's database refuses the writes of a user who moved away.
 *
 * <p>Give it a data source that hands out a dedicated connection (an unpooled one, or a pool with
 * room for it): the connection is held for the listener's life. Its thread never throws; failures
 * are logged at WARN with the channel name and retried after {@link Builder#reconnectDelay}.
 * Thread-safe; {@link #close()} stops the thread and closes the connection.
 */
public final class DirectoryInvalidations implements AutoCloseable {

    /** Default longest wait of one {@code getNotifications} call: 200 ms. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
    /** Default pause before reconnecting after the connection failed: 500 ms. */
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(500);
    /** Default interval of the {@code SELECT 1} that finds a silent link: 1 s. */
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(1);
    /** Default network timeout of the listening connection: 3 s. */
    public static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(3);

    private final DirectoryFeed feed;

    private DirectoryInvalidations(Builder b) {
        this.feed = new DirectoryFeed(b.directory, b.cache, b.source, b.pollTimeout, b.reconnectDelay, b.keepAliveInterval,
                b.networkTimeout);
    }

    /**
     * Starts a builder.
     *
     * @param directory the directory whose table's channel is listened to; parses and checks notifications
     * @param cache the cache to keep in step
     * @return a new builder
     */
    public static Builder builder(JdbcRegionDirectory directory, CachingRegionDirectory cache) {
        return new Builder(Objects.requireNonNull(directory, "directory must not be null"),
                Objects.requireNonNull(cache, "cache must not be null"));
    }

    /**
     * Starts the listening thread; returns at once. Call once.
     *
     * @return this
     * @throws IllegalStateException if started before or closed
     */
    public DirectoryInvalidations start() {
        feed.start();
        return this;
    }

    /** Whether the listener holds a connection whose {@code LISTEN} has committed. */
    public boolean isListening() {
        return feed.isListening();
    }

    /** How many notifications were applied to the cache since start. */
    public long notifications() {
        return feed.notifications();
    }

    /** How many times the cache was flushed because the listener (re)connected. */
    public long flushes() {
        return feed.flushes();
    }

    /** Stops the thread and closes the connection; waits at most the network timeout. Idempotent. */
    @Override
    public void close() {
        feed.close();
    }

    @Override
    public String toString() {
        return "DirectoryInvalidations[channel=" + feed.channel() + ", listening=" + isListening() + "]";
    }

    /** Builder of {@link DirectoryInvalidations}; each setter checks its argument. */
    public static final class Builder {
        private final JdbcRegionDirectory directory;
        private final CachingRegionDirectory cache;
        private DataSource source;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
        private Duration keepAliveInterval = DEFAULT_KEEP_ALIVE_INTERVAL;
        private Duration networkTimeout = DEFAULT_NETWORK_TIMEOUT;

        private Builder(JdbcRegionDirectory directory, CachingRegionDirectory cache) {
            this.directory = directory;
            this.cache = cache;
        }

        /**
         * Sets where to listen: the local region's copy of the directory. Required.
         *
         * @param dataSource hands out the dedicated connection; pgjdbc's, or one that unwraps to {@code PGConnection}
         * @return this builder
         */
        public Builder listenTo(DataSource dataSource) {
            this.source = Objects.requireNonNull(dataSource, "listenTo must not be null");
            return this;
        }

        /**
         * Sets the longest wait of one {@code getNotifications} call, 10 ms to 10 s. Default 200 ms.
         * A notification is handled as soon as it arrives; this only bounds how late {@link #close()}
         * and the keep-alive run.
         *
         * @param timeout the wait
         * @return this builder
         */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = Bounds.duration("pollTimeout", timeout, Duration.ofMillis(10), Duration.ofSeconds(10));
            return this;
        }

        /**
         * Sets the pause before reconnecting, 10 ms to 1 min. Default 500 ms.
         *
         * @param delay the pause
         * @return this builder
         */
        public Builder reconnectDelay(Duration delay) {
            this.reconnectDelay = Bounds.duration("reconnectDelay", delay, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * Sets the interval of the {@code SELECT 1} that finds a silent link, 100 ms to 1 min. Default 1 s.
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder keepAliveInterval(Duration interval) {
            this.keepAliveInterval = Bounds.duration("keepAliveInterval", interval, Duration.ofMillis(100), Duration.ofMinutes(1));
            return this;
        }

        /**
         * Sets the network timeout of the listening connection, 100 ms to 10 min. Default 3 s.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder networkTimeout(Duration timeout) {
            this.networkTimeout = Bounds.duration("networkTimeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(10));
            return this;
        }

        /**
         * Builds the listener; {@link DirectoryInvalidations#start()} starts it.
         *
         * @return the listener
         * @throws InvalidConfigurationException if {@link #listenTo} was not set, or the poll timeout
         *     is not shorter than the network timeout
         */
        public DirectoryInvalidations build() {
            if (source == null) {
                throw new InvalidConfigurationException("listenTo", null, "listenTo must be set, but was null");
            }
            if (pollTimeout.compareTo(networkTimeout) >= 0) {
                throw new InvalidConfigurationException("pollTimeout", pollTimeout, "pollTimeout must be shorter than"
                        + " networkTimeout (" + networkTimeout + "), but was " + pollTimeout);
            }
            return new DirectoryInvalidations(this);
        }
    }
}
