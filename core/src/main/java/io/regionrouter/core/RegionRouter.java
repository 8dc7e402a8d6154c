package io.regionrouter.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.core.support.TypedEventPublisher;

/**
 * Decides which region serves a request, from the user's home region, region health and the
 * residency rules.
 *
 * <p>Health is judged per store: every routing call names the {@link Store} it is for, and only
 * that store's health in each region is consulted, so eu's Redis being DOWN never moves eu's
 * PostgreSQL traffic.
 *
 * <ul>
 *   <li><b>REGULATED read</b>: the user's home region. If its store is DOWN, the next UP region in
 *       the home region's proximity order that the residency rules allow. If there is none,
 *       {@link RegionUnavailableException}. This fails closed: a region outside the allowed set is
 *       never chosen.</li>
 *   <li><b>REGULATED write</b>: the user's home region only, unless the home region's data is
 *       declared {@link Topology.Builder#multiWriter multi-writer}; then the next UP region among
 *       those. A region that merely holds a copy of the home region's rows is never written, because
 *       the replication plan subscribes it one way and a write there would stop replication.</li>
 *   <li><b>GLOBAL write</b>: the primary region; if it is DOWN, {@link RegionUnavailableException}.</li>
 *   <li><b>GLOBAL read</b>: the local region, or else the nearest UP region in the local region's
 *       proximity order; if none is UP, {@link RegionUnavailableException}.</li>
 * </ul>
 *
 * <p>Every decision emits a {@link RoutedEvent}; a fallback also emits a {@link FallbackEvent}, and a
 * refused region a {@link ResidencyDeniedEvent}. A directory failure surfaces as
 * {@link DirectoryLookupException} and is never replaced by a default region.
 *
 * <p>Thread-safe; meant to be shared by the whole application.
 */
public final class RegionRouter {

    private final Topology topology;
    private final RegionDirectory directory;
    private final RegionHealth health;
    private final EventDispatcher events;
    private final EventPublisher publisher;
    private final ObservationRegistry observations;
    private final RoutingObservationConvention convention;
    private final boolean observeUserIds;
    private final Map<Region, List<Region>> regulatedCandidates;
    private final Map<Region, List<Region>> regulatedWriteCandidates;
    private final List<Region> globalReadCandidates;
    private final List<Region> globalWriteCandidates;

    private RegionRouter(Builder b) {
        this.topology = b.topology;
        this.directory = b.directory;
        this.health = b.health;
        this.events = new EventDispatcher("region-router", b.listeners);
        this.publisher = new Publisher();
        this.observations = b.observations;
        this.convention = b.convention;
        this.observeUserIds = b.observeUserIds;
        Map<Region, List<Region>> regulated = new HashMap<>();
        for (Region home : topology.regions()) {
            regulated.put(home, List.copyOf(topology.allowedRegions(home)));
        }
        this.regulatedCandidates = Map.copyOf(regulated);
        Map<Region, List<Region>> regulatedWrite = new HashMap<>();
        for (Region home : topology.regions()) {
            regulatedWrite.put(home, List.copyOf(topology.writableRegions(home)));
        }
        this.regulatedWriteCandidates = Map.copyOf(regulatedWrite);
        List<Region> read = new ArrayList<>();
        read.add(topology.local());
        read.addAll(topology.proximity(topology.local()));
        this.globalReadCandidates = List.copyOf(read);
        this.globalWriteCandidates = List.of(topology.primary());
    }

    /**
     * Returns a builder for a router over {@code topology}.
     *
     * @param topology the topology
     */
    public static Builder builder(Topology topology) {
        return new Builder(Objects.requireNonNull(topology, "topology"));
    }

    /** Returns the topology. */
    public Topology topology() {
        return topology;
    }

    /** Returns the region health this router consults. */
    public RegionHealth health() {
        return health;
    }

    /** Returns the directory this router consults. */
    public RegionDirectory directory() {
        return directory;
    }

    /**
     * Returns a user's home region.
     *
     * @throws UnknownUserException if the directory does not know the user
     * @throws DirectoryLookupException if the directory failed
     * @throws RegionUnavailableException if the directory names a region that is not in the topology
     * @throws IllegalArgumentException if the user id breaks {@link UserIds#RULE}
     */
    public Region homeRegion(String userId) {
        UserIds.check("userId", userId);
        Optional<Region> home;
        try {
            home = directory.lookup(userId);
        } catch (DirectoryLookupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DirectoryLookupException(userId, e);
        }
        if (home == null) {
            throw new DirectoryLookupException(userId,
                    new IllegalStateException("directory returned null instead of an Optional"));
        }
        Region region = home.orElseThrow(() -> new UnknownUserException(userId));
        if (!topology.contains(region)) {
            throw new RegionUnavailableException("home region " + region + " of user " + userId
                    + " is not in the topology " + topology.regions(), userId, List.of(region), null);
        }
        return region;
    }

    /**
     * Returns the region that serves a request, following the rules in the class description.
     *
     * @param store the store whose health counts
     * @param userIdOrNull the user; required for REGULATED data, ignored for GLOBAL data
     * @param dataClass the data class
     * @param access read or write
     * @throws IllegalArgumentException if REGULATED data is requested without a user
     * @throws RegionUnavailableException if no allowed region is UP
     * @throws UnknownUserException if the user is unknown
     * @throws DirectoryLookupException if the directory failed
     */
    public Region route(Store store, String userIdOrNull, DataClass dataClass, Access access) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(access, "access");
        if (observations.isNoop()) {
            return decide(store, userIdOrNull, dataClass, access, null);
        }
        return observed(new RoutingObservationContext(store, userIdOrNull, dataClass, access, observeUserIds),
                context -> decide(store, userIdOrNull, dataClass, access, context));
    }

    /** Runs a decision inside its observation, which records the outcome and any failure. */
    private Region observed(RoutingObservationContext context, Function<RoutingObservationContext, Region> decision) {
        Observation observation = RoutingObservation.ROUTE.observation(convention, DefaultRoutingObservationConvention.INSTANCE,
                () -> context, observations).start();
        try {
            return decision.apply(context);
        } catch (RuntimeException e) {
            context.failed(e);
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    private Region decide(Store store, String userIdOrNull, DataClass dataClass, Access access, RoutingObservationContext context) {
        List<Region> candidates = candidates(userIdOrNull, dataClass, access, context);
        Region first = candidates.get(0);
        for (int i = 0; i < candidates.size(); i++) {
            Region candidate = candidates.get(i);
            if (health.isUp(candidate, store)) {
                boolean fallback = i > 0;
                if (context != null) {
                    context.routed(candidate, fallback ? RoutingOutcome.FALLBACK : RoutingOutcome.FIRST_CHOICE, candidates.subList(0, i));
                }
                if (events.hasListeners()) {
                    if (fallback) {
                        events.publish(new FallbackEvent(userIdOrNull, dataClass, access, first, candidate));
                    }
                    events.publish(new RoutedEvent(userIdOrNull, dataClass, access, candidate, fallback));
                }
                return candidate;
            }
        }
        if (context != null) {
            context.routed(null, RoutingOutcome.UNAVAILABLE, candidates);
        }
        throw unavailable(store, userIdOrNull, dataClass, access, candidates);
    }

    /**
     * Returns the regions that {@link #route(Store, String, DataClass, Access)} would consider, in
     * order, whether they are UP or not: for REGULATED reads the allowed regions, for REGULATED
     * writes the writable ones. Adapters that fall back on their own use it.
     *
     * @throws IllegalArgumentException if REGULATED data is requested without a user
     * @throws UnknownUserException if the user is unknown
     * @throws DirectoryLookupException if the directory failed
     */
    public List<Region> candidates(String userIdOrNull, DataClass dataClass, Access access) {
        return candidates(userIdOrNull, dataClass, access, null);
    }

    private List<Region> candidates(String userIdOrNull, DataClass dataClass, Access access, RoutingObservationContext context) {
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(access, "access");
        if (dataClass == DataClass.REGULATED) {
            if (userIdOrNull == null) {
                throw new IllegalArgumentException("REGULATED data needs a user to route by, but userId was null");
            }
            if (context != null) {
                context.directory(directory instanceof CachingRegionDirectory cache && cache.cachedHome(userIdOrNull).isPresent()
                        ? RoutingObservationContext.DirectoryUse.CACHE_HIT : RoutingObservationContext.DirectoryUse.LOOKUP);
            }
            Region home = homeRegion(userIdOrNull);
            return access == Access.WRITE ? regulatedWriteCandidates.get(home) : regulatedCandidates.get(home);
        }
        return access == Access.WRITE ? globalWriteCandidates : globalReadCandidates;
    }

    /**
     * Routes the request a context describes. An explicit region in the context wins; when the
     * context also has a user and the data is REGULATED, that region must be allowed by the user's
     * residency rules (and, for a write, be writable). Health is not consulted for an explicit
     * region: the caller asked for it. Otherwise the context's user, data class and access are
     * routed as by {@link #route(Store, String, DataClass, Access)}.
     *
     * @param store the store whose health counts
     * @param ctx the context
     * @throws ResidencyViolationException if the explicit region is not allowed for the user
     * @throws RegionUnavailableException if the explicit region is not in the topology, or no allowed
     *     region is UP
     */
    public Region route(Store store, RegionContext ctx) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(ctx, "ctx");
        String user = ctx.userId().orElse(null);
        Optional<Region> explicit = ctx.region();
        if (explicit.isEmpty()) {
            return route(store, user, ctx.dataClass(), ctx.access());
        }
        if (observations.isNoop()) {
            return routeExplicit(store, ctx, user, explicit.get(), null);
        }
        return observed(new RoutingObservationContext(store, user, ctx.dataClass(), ctx.access(), observeUserIds),
                context -> routeExplicit(store, ctx, user, explicit.get(), context));
    }

    private Region routeExplicit(Store store, RegionContext ctx, String user, Region region, RoutingObservationContext context) {
        if (!topology.contains(region)) {
            throw new RegionUnavailableException("region " + region + " named by " + ctx + " is not in the topology "
                    + topology.regions(), user, List.of(region), null);
        }
        if (!health.isUp(region, store)) {
            // a named region means exactly that region, in every module: never another, never a DOWN one
            throw new RegionUnavailableException("region " + region + " is DOWN for " + store + " and " + ctx
                    + " names it explicitly", user, List.of(region), null);
        }
        if (user != null && ctx.dataClass() == DataClass.REGULATED) {
            if (context != null) {
                context.directory(directory instanceof CachingRegionDirectory cache && cache.cachedHome(user).isPresent()
                        ? RoutingObservationContext.DirectoryUse.CACHE_HIT : RoutingObservationContext.DirectoryUse.LOOKUP);
            }
            checkResidency(user, region);
            if (ctx.access() == Access.WRITE) {
                checkWritable(user, region);
            }
        }
        if (context != null) {
            context.routed(region, RoutingOutcome.EXPLICIT, List.of());
        }
        events.publish(new RoutedEvent(user, ctx.dataClass(), ctx.access(), region, false));
        return region;
    }

    /**
     * Routes the context bound to the current thread, deciding once per scope: the decision is kept
     * in the open {@link RegionContext.Scope} and reused until any store's health changes (see
     * {@link RegionHealth#version()}) or another store is asked for. A scope is short-lived (one
     * request), so a home region that the directory changes meanwhile is seen by the next scope.
     * Events are emitted when the route is decided, not on every reuse.
     *
     * @param store the store whose health counts
     * @throws IllegalStateException if no context is bound
     * @see #route(Store, RegionContext)
     */
    public Region routeCurrent(Store store) {
        Objects.requireNonNull(store, "store");
        RegionContext.Scope scope = RegionContext.currentScope();
        if (scope == null || scope.context() == null) {
            throw new IllegalStateException("no RegionContext is bound to thread " + Thread.currentThread().getName());
        }
        long version = health.version();
        if (scope.routeOwner == this && scope.routeStore == store && scope.routeVersion == version) {
            return scope.routeRegion;
        }
        Region region = route(store, scope.context());
        scope.routeOwner = this;
        scope.routeStore = store;
        scope.routeVersion = version;
        scope.routeRegion = region;
        return region;
    }

    /**
     * Checks that the user's REGULATED data may be held in {@code target}.
     *
     * @throws ResidencyViolationException if it may not; a {@link ResidencyDeniedEvent} is emitted first
     * @throws UnknownUserException if the user is unknown
     * @throws DirectoryLookupException if the directory failed
     */
    public void checkResidency(String userId, Region target) {
        Objects.requireNonNull(target, "target");
        Region home = homeRegion(userId);
        if (!topology.isAllowed(home, target)) {
            events.publish(new ResidencyDeniedEvent(userId, home, target));
            throw new ResidencyViolationException(userId, home, target);
        }
    }

    /**
     * Checks that the user's REGULATED data may be written in {@code target}: the home region, or a
     * {@link Topology.Builder#multiWriter multi-writer} region of it.
     *
     * @throws ResidencyViolationException if it may not; a {@link ResidencyDeniedEvent} is emitted first
     * @throws UnknownUserException if the user is unknown
     * @throws DirectoryLookupException if the directory failed
     */
    public void checkWritable(String userId, Region target) {
        Objects.requireNonNull(target, "target");
        Region home = homeRegion(userId);
        if (!topology.isWritable(home, target)) {
            events.publish(new ResidencyDeniedEvent(userId, home, target));
            throw new ResidencyViolationException("region " + target + " may not take writes of data homed in " + home
                    + " (user " + userId + "): only " + topology.writableRegions(home)
                    + " may, and other allowed regions hold read-only copies; declare"
                    + " Topology.Builder.multiWriter for data replicated both ways", userId, home, target);
        }
    }

    /**
     * The registry routing decisions are observed in; adapters observe their own calls in it too.
     * {@link ObservationRegistry#NOOP} unless one was given.
     */
    public ObservationRegistry observationRegistry() {
        return observations;
    }

    /**
     * The routing events, to subscribe to by type.
     *
     * @return the publisher
     */
    public EventPublisher eventPublisher() {
        return publisher;
    }

    /** The events of a {@link RegionRouter}. */
    public interface EventPublisher extends io.regionrouter.core.EventPublisher {

        /**
         * Subscribes to routing decisions. Raised only while someone listens to the router's events.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onRouted(Consumer<? super RoutedEvent> consumer);

        /**
         * Subscribes to calls served by another region than the first choice.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onFallback(Consumer<? super FallbackEvent> consumer);

        /**
         * Subscribes to calls refused because the residency rules do not allow the region.
         *
         * @param consumer the consumer
         * @return this publisher
         */
        EventPublisher onResidencyDenied(Consumer<? super ResidencyDeniedEvent> consumer);

        @Override
        EventPublisher onEvent(RegionEventListener listener);

        @Override
        <T extends RegionEvent> EventPublisher on(Class<T> type, Consumer<? super T> consumer);
    }

    private final class Publisher extends TypedEventPublisher<EventPublisher> implements EventPublisher {

        Publisher() {
            super(events);
        }

        @Override
        protected EventPublisher self() {
            return this;
        }

        @Override
        public EventPublisher onRouted(Consumer<? super RoutedEvent> consumer) {
            return on(RoutedEvent.class, consumer);
        }

        @Override
        public EventPublisher onFallback(Consumer<? super FallbackEvent> consumer) {
            return on(FallbackEvent.class, consumer);
        }

        @Override
        public EventPublisher onResidencyDenied(Consumer<? super ResidencyDeniedEvent> consumer) {
            return on(ResidencyDeniedEvent.class, consumer);
        }
    }

    /** Adds a listener for routing events. */
    public void addListener(RegionEventListener listener) {
        events.add(listener);
    }

    /** Removes a listener; returns whether it was registered. */
    public boolean removeListener(RegionEventListener listener) {
        return events.remove(listener);
    }

    @Override
    public String toString() {
        return "RegionRouter{topology=" + topology + ", directory=" + directory + '}';
    }

    private RegionUnavailableException unavailable(Store store, String user, DataClass dataClass, Access access,
            List<Region> tried) {
        String what = dataClass + " " + access + (user == null ? "" : " for user " + user);
        String rule;
        if (dataClass == DataClass.REGULATED && access == Access.WRITE) {
            rule = store + " is DOWN in every region that may take writes of data homed in " + tried.get(0);
        } else if (dataClass == DataClass.REGULATED) {
            rule = store + " is DOWN in every region allowed by the residency rules of home region " + tried.get(0);
        } else if (access == Access.WRITE) {
            rule = store + " is DOWN in the primary region";
        } else {
            rule = store + " is DOWN in every region";
        }
        return new RegionUnavailableException("no region available for " + what + ": " + rule + "; tried " + tried,
                user, tried, null);
    }

    /**
     * Builds a {@link RegionRouter}. Not thread-safe.
     */
    public static final class Builder {

        private final Topology topology;
        private RegionDirectory directory = StaticRegionDirectory.empty();
        private RegionHealth health;
        private final List<RegionEventListener> listeners = new ArrayList<>();
        private ObservationRegistry observations = ObservationRegistry.NOOP;
        private RoutingObservationConvention convention;
        private boolean observeUserIds;

        private Builder(Topology topology) {
            this.topology = topology;
        }

        /**
         * Observes every routing decision ({@link RoutingObservation#ROUTE}) in this registry: with
         * a tracing handler each becomes a span, with a meter handler a timer tagged by the
         * low-cardinality keys. Default {@link ObservationRegistry#NOOP}, which costs nothing.
         *
         * @param registry the registry
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "observationRegistry must not be null");
            return this;
        }

        /**
         * Replaces the names and keys of routing observations. Default
         * {@link DefaultRoutingObservationConvention}.
         *
         * @param convention the convention
         * @return this builder
         */
        public Builder observationConvention(RoutingObservationConvention convention) {
            this.convention = Objects.requireNonNull(convention, "observationConvention must not be null");
            return this;
        }

        /**
         * Adds the user id to routing observations, as a high-cardinality key (traces only). Off by
         * default: a user id is personal data, and traces often leave the region.
         *
         * @param observe whether to add it
         * @return this builder
         */
        public Builder observeUserIds(boolean observe) {
            this.observeUserIds = observe;
            return this;
        }

        /** Sets the directory of home regions. Default: an empty directory (every user unknown). */
        public Builder directory(RegionDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the region health to consult. Default: a {@link RegionHealth} with nothing
         * registered, so every store of every region counts as UP.
         */
        public Builder health(RegionHealth health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** Adds a listener for routing events. */
        public Builder listener(RegionEventListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Builds the router. */
        public RegionRouter build() {
            if (health == null) {
                health = RegionHealth.builder().build();
            }
            return new RegionRouter(this);
        }
    }
}
