package io.regionrouter.core;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the current thread is working on: a user, an explicit region, or both, plus the
 * {@link DataClass} and {@link Access} of the work. A servlet filter or interceptor opens it; the
 * routing adapters read it through {@link #current()}.
 *
 * <pre>{@code
 * try (RegionContext.Scope scope = RegionContext.forUser("alice").open()) {
 *     repository.save(order);           // routed to alice's home region
 *     try (var inner = RegionContext.forUser("alice").global(Access.READ).open()) {
 *         catalog.find(sku);            // nearest healthy copy of GLOBAL data
 *     }                                 // the outer context is back
 * }
 * }</pre>
 *
 * <p>Contexts are immutable values and thread-safe. A context is bound to one thread; pass it to
 * other threads with {@link #wrap(Runnable)}, {@link #wrap(Callable)} or {@link #wrap(Executor)}.
 * Defaults: {@link DataClass#REGULATED} and {@link Access#WRITE}.
 */
public final class RegionContext {

    private static final Logger LOG = LoggerFactory.getLogger(RegionContext.class);
    /** The innermost binding of the thread; each binding links to the one it replaced. */
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final String userId;
    private final Region region;
    private final DataClass dataClass;
    private final Access access;

    private RegionContext(String userId, Region region, DataClass dataClass, Access access) {
        if (userId == null && region == null) {
            throw new IllegalArgumentException("a RegionContext needs a user, a region or both");
        }
        if (userId != null) {
            UserIds.check("userId", userId);
        }
        this.userId = userId;
        this.region = region;
        this.dataClass = Objects.requireNonNull(dataClass, "dataClass");
        this.access = Objects.requireNonNull(access, "access");
    }

    /** Returns a context for a user, routed by the user's home region. */
    public static RegionContext forUser(String userId) {
        return new RegionContext(Objects.requireNonNull(userId, "userId"), null, DataClass.REGULATED, Access.WRITE);
    }

    /**
     * Returns a context that names a region explicitly, without a user. The meaning is the same in
     * every module: the call is served by exactly that region, never by another, and is refused with
     * a {@link RegionUnavailableException} while the region's store is DOWN. Data written under it
     * belongs to that region, and copies of it go only where that region's data may be held.
     */
    public static RegionContext forRegion(Region region) {
        return new RegionContext(null, Objects.requireNonNull(region, "region"), DataClass.REGULATED, Access.WRITE);
    }

    /**
     * Returns a context with a user and an explicit region. For REGULATED data the router checks
     * the region against the user's residency rules.
     */
    public static RegionContext of(String user, Region region) {
        return new RegionContext(Objects.requireNonNull(user, "user"), Objects.requireNonNull(region, "region"),
                DataClass.REGULATED, Access.WRITE);
    }

    /** Returns the user, if any. */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /** Returns the explicit region, if any. */
    public Optional<Region> region() {
        return Optional.ofNullable(region);
    }

    /** Returns the data class; default {@link DataClass#REGULATED}. */
    public DataClass dataClass() {
        return dataClass;
    }

    /** Returns the access; default {@link Access#WRITE}. */
    public Access access() {
        return access;
    }

    /** Returns a copy with another data class. */
    public RegionContext withDataClass(DataClass dataClass) {
        return new RegionContext(userId, region, dataClass, access);
    }

    /** Returns a copy with another access. */
    public RegionContext withAccess(Access access) {
        return new RegionContext(userId, region, dataClass, access);
    }

    /** Returns a copy for GLOBAL data with the given access. */
    public RegionContext global(Access access) {
        return withDataClass(DataClass.GLOBAL).withAccess(access);
    }

    /**
     * Binds this context to the current thread until the returned scope is closed. Closing it
     * restores whatever was bound before, so scopes nest. Scopes closed out of order never leave a
     * closed scope's context bound: closing an outer scope while an inner one is open keeps the
     * inner one bound, and closing the inner one then restores what was bound before the outer one.
     */
    public Scope open() {
        Scope scope = new Scope(this, CURRENT.get(), Thread.currentThread());
        CURRENT.set(scope);
        return scope;
    }

    /** Returns the context bound to the current thread, if any. */
    public static Optional<RegionContext> current() {
        Scope scope = CURRENT.get();
        return scope == null ? Optional.empty() : Optional.ofNullable(scope.context);
    }

    /**
     * Binds no context to the current thread until the returned scope is closed, hiding whatever was
     * bound; closing it restores that binding, with the same nesting rules as {@link #open()}. For
     * frameworks that propagate context between threads and must clear a worker thread's context
     * while they run a task that had none.
     *
     * @return the scope, whose {@link Scope#context()} is null
     */
    public static Scope openNone() {
        Scope scope = new Scope(null, CURRENT.get(), Thread.currentThread());
        CURRENT.set(scope);
        return scope;
    }

    /** The current thread's innermost scope, or null; for the router's per-scope route cache. */
    static Scope currentScope() {
        return CURRENT.get();
    }

    private static RegionContext currentOrNull() {
        Scope scope = CURRENT.get();
        return scope == null ? null : scope.context;
    }

    /**
     * Returns a runnable that runs {@code task} with the caller's current context (captured now)
     * bound, and restores the running thread's own context afterwards. If the caller has no
     * context, the task runs with none.
     */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        RegionContext captured = currentOrNull();
        return () -> {
            Scope previous = bindForTask(captured);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    /**
     * Returns a callable that calls {@code task} with the caller's current context (captured now)
     * bound, and restores the running thread's own context afterwards.
     */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        RegionContext captured = currentOrNull();
        return () -> {
            Scope previous = bindForTask(captured);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    /**
     * Returns an executor that propagates context: each {@code execute} captures the context of the
     * thread calling {@code execute} (at that moment, not when the executor was wrapped) and binds it
     * around the task.
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return command -> executor.execute(wrap(command));
    }

    /**
     * Binds a captured context (or none) for a wrapped task and returns the thread's own binding.
     * The task's binding has no outer scope, and the caller restores the exact previous binding
     * afterwards, so a scope that the task leaves open never outlives the task.
     */
    private static Scope bindForTask(RegionContext captured) {
        Scope previous = CURRENT.get();
        restore(captured == null ? null : new Scope(captured, null, Thread.currentThread()));
        return previous;
    }

    private static void restore(Scope scope) {
        if (scope == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(scope);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RegionContext)) {
            return false;
        }
        RegionContext c = (RegionContext) o;
        return Objects.equals(userId, c.userId) && Objects.equals(region, c.region) && dataClass == c.dataClass
                && access == c.access;
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, region, dataClass, access);
    }

    @Override
    public String toString() {
        return "RegionContext{user=" + userId + ", region=" + region + ", " + dataClass + ", " + access + '}';
    }

    /**
     * An open binding of a context to a thread. Close it on the thread that opened it, with
     * try-with-resources. Closing twice does nothing; closing on another thread is logged and
     * otherwise ignored, because it would corrupt that thread's binding. Closing a scope while a
     * scope opened inside it is still open is logged; the inner scope stays bound until it is
     * closed, and then the binding from before the outer scope comes back.
     */
    public static final class Scope implements AutoCloseable {

        private final RegionContext context;
        private final Scope previous;
        private final Thread owner;
        private boolean closed;
        /** The last route decided in this scope, owned by the opening thread; see RegionRouter#routeCurrent. */
        Object routeOwner;
        Store routeStore;
        long routeVersion;
        Region routeRegion;

        private Scope(RegionContext context, Scope previous, Thread owner) {
            this.context = context;
            this.previous = previous;
            this.owner = owner;
        }

        /** Returns the context this scope bound, or null for a scope of {@link RegionContext#openNone()}. */
        public RegionContext context() {
            return context;
        }

        /** Restores the context that was bound before {@link RegionContext#open()}. */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                LOG.warn("RegionContext scope {} opened on thread {} was closed on thread {}; ignored", context,
                        owner.getName(), Thread.currentThread().getName());
                return;
            }
            if (closed) {
                return;
            }
            closed = true;
            if (CURRENT.get() != this) {
                // an inner scope is still open (or a wrapped task rebound the thread): leave the
                // binding alone; the inner scope skips this one when it closes
                LOG.warn("RegionContext scope {} was closed while a scope opened inside it is still open; the inner"
                        + " scope stays bound until it is closed", context);
                return;
            }
            Scope next = previous;
            while (next != null && next.closed) {
                next = next.previous;
            }
            restore(next);
        }
    }
}
