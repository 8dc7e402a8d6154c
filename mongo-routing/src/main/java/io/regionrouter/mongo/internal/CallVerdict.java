package io.regionrouter.mongo.internal;

/**
 * What a failed driver call says about the server it was meant for, as {@link FailureClassifier}
 * decides it. Only {@link #UNREACHED} and {@link #NO_ANSWER} are failures of the store; a server
 * that answered, even with an error, is a success.
 */
public enum CallVerdict {

    /** The server answered, perhaps with an error reply (duplicate key, command error, auth failure). */
    ANSWERED,

    /** The server could not be reached: nothing was sent (refused connect, server selection timed out). */
    UNREACHED,

    /**
     * The request may have been sent but no answer came (a socket read or write failed or timed out,
     * the link closed). A write that ends this way may have been applied.
     */
    NO_ANSWER,

    /**
     * The caller stopped waiting on its own account after the request may have been sent: its
     * operation timeout ran out before the reply could even be waited for, or its thread was
     * interrupted. Says nothing about the server, but a write that ends this way may have been applied.
     */
    ABANDONED,

    /**
     * Says nothing about the server, and nothing was sent: the pool was exhausted while the server
     * answers, the time left could not cover a round trip, a value could not be encoded or decoded,
     * the client was misused or closed.
     */
    UNJUDGED;

    /** Whether the store's health should count this call as a failure. */
    public boolean isFailure() {
        return this == UNREACHED || this == NO_ANSWER;
    }

    /** Whether a write that failed this way may nevertheless have been applied. */
    public boolean mayHaveBeenApplied() {
        return this == NO_ANSWER || this == ABANDONED;
    }
}
