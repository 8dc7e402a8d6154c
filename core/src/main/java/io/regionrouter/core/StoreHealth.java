package io.regionrouter.core;

/**
 * The health of one store in one region, as {@link RegionHealth#store(Region, Store)} hands it to
 * an adapter: a cheap handle for the hot path, valid for the life of the {@link RegionHealth}
 * (before the store is registered and after it is unregistered it reads UP and ignores results).
 *
 * <p>Real-call results are judged like a circuit breaker, not by consecutive events: the store
 * goes DOWN when, within {@link HealthConfig#callWindow()}, at least
 * {@link HealthConfig#minimumCalls()} calls were recorded and at least
 * {@link HealthConfig#failureRateThreshold()} percent of them failed. Report as a failure only
 * what means the server could not be reached or did not answer (a refused or timed-out connect,
 * a socket timeout, a closed link). A server that answered, even with an error (an SQL error, a
 * {@code WRONGTYPE} reply, a bad password, too many connections), a pool that is merely exhausted,
 * or a value that cannot be decoded are successes of the store, or not reported at all.
 *
 * <p>Thread-safe. No method blocks or throws.
 */
public interface StoreHealth {

    /** Returns the region. */
    Region region();

    /** Returns the store. */
    Store store();

    /** Returns the current state; UP while the store is not registered. */
    RegionState state();

    /** Returns whether the store is UP. */
    boolean isUp();

    /** Records a call that reached the server (whatever it answered). */
    void recordSuccess();

    /**
     * Records a call that could not reach the server or got no answer.
     *
     * @param cause what failed, kept as the reason if this tips the store DOWN
     */
    void recordFailure(Throwable cause);
}
