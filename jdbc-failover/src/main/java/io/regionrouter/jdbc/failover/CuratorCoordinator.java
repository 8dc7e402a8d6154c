package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Coordinator} on ZooKeeper through Apache Curator (an optional dependency:
 * {@code org.apache.curator:curator-recipes}).
 *
 * <pre>{@code
 * CuratorFramework zk = CuratorFrameworkFactory.newClient(connectString, new ExponentialBackoffRetry(100, 5));
 * zk.start();
 * FailoverManager failover = FailoverManager.builder(pg).group(usGroup)
 *     .coordinator(CuratorCoordinator.builder(zk).basePath("/region-router/orders").instanceName("orders-7").build())
 *     .build();
 * }</pre>
 *
 * <p>Under {@code <basePath>/<region>}:
 * <ul>
 *   <li>{@code lease}: a Curator {@link LeaderLatch}. With Curator's default error policy a
 *       SUSPENDED connection already drops leadership; this coordinator also stops answering
 *       {@link #holdsLease} with true from the SUSPENDED event on, before the session (and the
 *       lease) can expire, and until the connection is back.</li>
 *   <li>{@code epochs/e-}: one persistent sequential node per promotion; its sequence number + 1 is
 *       the epoch token, so tokens only grow, whoever takes them.</li>
 *   <li>{@code views/<instance>}: an ephemeral node per live instance holding {@code reachable} or
 *       {@code unreachable}, this instance's view of the primary, recreated after a lost session.</li>
 * </ul>
 *
 * <p>The Curator client is the caller's: started before, closed after. Thread-safe.
 */
public final class CuratorCoordinator implements Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(CuratorCoordinator.class);
    private static final byte[] REACHABLE = "reachable".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNREACHABLE = "unreachable".getBytes(StandardCharsets.UTF_8);

    private final CuratorFramework client;
    private final String basePath;
    private final String instanceName;
    private final Duration leaseDuration;
    private final Map<Region, Membership> memberships = new ConcurrentHashMap<>();
    private volatile boolean connected = true;
    private final ConnectionStateListener stateListener = this::onStateChange;

    private CuratorCoordinator(Builder b) {
        this.client = b.client;
        this.basePath = b.basePath;
        this.instanceName = b.instanceName;
        this.leaseDuration = b.leaseDuration;
        client.getConnectionStateListenable().addListener(stateListener);
    }

    /**
     * Starts a builder.
     *
     * @param client a started Curator client
     * @return a new builder
     */
    public static Builder builder(CuratorFramework client) {
        return new Builder(Objects.requireNonNull(client, "coordinator.client must not be null"));
    }

    /** One region's latch, view node and the time leadership was last taken. */
    private final class Membership implements LeaderLatchListener {
        final Region region;
        final LeaderLatch latch;
        final PersistentNode view;
        volatile long leaderSinceNanos = -1;

        Membership(Region region) {
            this.region = region;
            String root = basePath + "/" + region.id();
            this.latch = new LeaderLatch(client, root + "/lease", instanceName, LeaderLatch.CloseMode.NOTIFY_LEADER);
            this.view = new PersistentNode(client, CreateMode.EPHEMERAL, false, root + "/views/" + instanceName, REACHABLE);
            latch.addListener(this);
        }

        @Override
        public void isLeader() {
            leaderSinceNanos = System.nanoTime();
            LOG.warn("region-router failover: {} holds the failover lease of region {}", instanceName, region);
        }

        @Override
        public void notLeader() {
            leaderSinceNanos = -1;
            LOG.warn("region-router failover: {} no longer holds the failover lease of region {}", instanceName, region);
        }
    }

    private void onStateChange(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
            // step down at once: from here the session, and the lease with it, may expire at any time
            connected = false;
            memberships.values().forEach(m -> m.leaderSinceNanos = -1);
            LOG.warn("region-router failover: ZooKeeper connection {}; {} does not promote until it is back", state, instanceName);
        } else if (state == ConnectionState.RECONNECTED || state == ConnectionState.CONNECTED) {
            connected = true;
        }
    }

    @Override
    public void join(Region region) {
        memberships.computeIfAbsent(region, r -> {
            Membership m = new Membership(r);
            try {
                m.view.start();
                m.latch.start();
            } catch (Exception e) {
                throw new CoordinatorException(r, "could not join the failover group of region " + r + " under " + basePath, e);
            }
            return m;
        });
    }

    private Membership membership(Region region) {
        Membership m = memberships.get(region);
        if (m == null) {
            throw new IllegalArgumentException("region " + region + " was not joined; joined: " + memberships.keySet());
        }
        return m;
    }

    @Override
    public boolean holdsLease(Region region) {
        Membership m = membership(region);
        return connected && m.latch.hasLeadership() && m.leaderSinceNanos >= 0;
    }

    @Override
    public void reportPrimaryReachable(Region region, boolean reachable) {
        try {
            membership(region).view.setData(reachable ? REACHABLE : UNREACHABLE);
        } catch (Exception e) {
            throw new CoordinatorException(region, "could not publish the view of region " + region + "'s primary", e);
        }
    }

    @Override
    public boolean primaryUnreachableForAll(Region region) {
        String views = basePath + "/" + region.id() + "/views";
        try {
            client.sync().forPath(views);
            List<String> instances = client.getChildren().forPath(views);
            if (!instances.contains(instanceName)) {
                return false; // our own view is not published: we may be the one that cannot see
            }
            for (String instance : instances) {
                byte[] data;
                try {
                    data = client.getData().forPath(views + "/" + instance);
                } catch (KeeperException.NoNodeException gone) {
                    continue; // that instance's session ended meanwhile
                }
                if (!java.util.Arrays.equals(data, UNREACHABLE)) {
                    LOG.info("region-router failover: {} still reaches the primary of region {}", instance, region);
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            throw new CoordinatorException(region, "could not read the fleet's views of region " + region + "'s primary", e);
        }
    }

    @Override
    public long nextEpoch(Region region) throws InterruptedException {
        Membership m = membership(region);
        // a previous holder that lost its session may still act until its own SUSPENDED fires; with
        // the lease held for a whole session timeout, that holder has stepped down
        while (true) {
            long since = m.leaderSinceNanos;
            if (!holdsLease(region)) {
                throw new CoordinatorException(region, instanceName + " does not hold the failover lease of region " + region, null);
            }
            long waited = System.nanoTime() - since;
            if (waited >= leaseDuration.toNanos()) {
                break;
            }
            Thread.sleep(Math.min(100, Math.max(1, (leaseDuration.toNanos() - waited) / 1_000_000)));
        }
        String created;
        try {
            created = client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(basePath + "/" + region.id() + "/epochs/e-", instanceName.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new CoordinatorException(region, "could not take an epoch for region " + region, e);
        }
        if (!holdsLease(region)) {
            throw new CoordinatorException(region, instanceName + " lost the failover lease of region " + region
                    + " while taking an epoch", null);
        }
        return Long.parseLong(created.substring(created.lastIndexOf("e-") + 2)) + 1;
    }

    @Override
    public Duration leaseDuration() {
        return leaseDuration;
    }

    @Override
    public void close() {
        client.getConnectionStateListenable().removeListener(stateListener);
        for (Membership m : memberships.values()) {
            try {
                m.latch.close();
            } catch (Exception e) {
                LOG.warn("region-router failover: closing the lease of region {} failed: {}", m.region, e.toString());
            }
            try {
                m.view.close();
            } catch (Exception e) {
                LOG.warn("region-router failover: closing the view of region {} failed: {}", m.region, e.toString());
            }
        }
        memberships.clear();
    }

    @Override
    public String toString() {
        return "CuratorCoordinator[" + basePath + ", instance=" + instanceName + ", leaseDuration=" + leaseDuration + "]";
    }

    /** Builder of {@link CuratorCoordinator}. Not thread-safe. */
    public static final class Builder {
        private final CuratorFramework client;
        private String basePath = "/region-router/failover";
        private String instanceName;
        private Duration leaseDuration;

        private Builder(CuratorFramework client) {
            this.client = client;
        }

        /** Sets the ZooKeeper path under which the groups live; one per application. Default {@code /region-router/failover}. */
        public Builder basePath(String path) {
            if (path == null || !path.matches("(/[A-Za-z0-9_.-]+)+")) {
                throw new IllegalArgumentException("coordinator.basePath must be an absolute ZooKeeper path of [A-Za-z0-9_.-] names, but was "
                        + (path == null ? "null" : "\"" + (path.length() > 64 ? path.substring(0, 64) + "..." : path) + "\""));
            }
            this.basePath = path;
            return this;
        }

        /** Names this instance among the fleet; must be unique. Required. */
        public Builder instanceName(String name) {
            if (name == null || !name.matches("[A-Za-z0-9_.@-]{1,128}")) {
                throw new IllegalArgumentException("coordinator.instanceName must match [A-Za-z0-9_.@-]{1,128}, but was "
                        + (name == null ? "null" : "\"" + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "\""));
            }
            this.instanceName = name;
            return this;
        }

        /**
         * Sets how long a new lease holder waits before its first promotion: at least the ZooKeeper
         * session timeout, so that a previous holder cut off from ZooKeeper has stepped down. Default:
         * the client's negotiated session timeout.
         */
        public Builder leaseDuration(Duration duration) {
            if (duration == null || duration.isNegative() || duration.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("coordinator.leaseDuration must be in [0 ms, 600000 ms], but was "
                        + (duration == null ? "null" : duration.toMillis() + " ms"));
            }
            this.leaseDuration = duration;
            return this;
        }

        /**
         * Builds the coordinator.
         *
         * @throws IllegalStateException if no instance name was set
         */
        public CuratorCoordinator build() {
            if (instanceName == null) {
                throw new IllegalStateException("coordinator.instanceName must be set, but was not");
            }
            if (leaseDuration == null) {
                int negotiated = client.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
                leaseDuration = Duration.ofMillis(negotiated > 0 ? negotiated : 60_000);
            }
            return new CuratorCoordinator(this);
        }
    }
}
