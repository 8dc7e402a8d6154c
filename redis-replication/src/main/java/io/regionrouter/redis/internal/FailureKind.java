package io.regionrouter.redis.internal;

/**
 * What a failed Redis call says about the server and about the command, as decided by
 * {@link Failures#classify}. Three questions matter: does it count against the region's health,
 * may the command have run, and can the same command succeed later (so a missed write is worth a
 * hint and a read is worth asking elsewhere)?
 */
public enum FailureKind {

    /** The server could not be reached and the command was not sent: refused or failed connect, not connected. */
    UNREACHABLE(true, false, true),

    /** The command was sent and no answer came: command timeout, link lost while it was in flight. It may have run. */
    NO_ANSWER(true, true, true),

    /**
     * The server answered with an error that reports a passing state of the server or of this client's
     * standing with it: LOADING, BUSY, OOM, READONLY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN, NOREPLICAS,
     * NOSCRIPT, authentication and permission errors, max clients. The command did not run; it can
     * succeed later.
     */
    TRANSIENT_REPLY(false, false, true),

    /**
     * The server answered with an error that retrying cannot fix: WRONGTYPE, a script error, a value that
     * RegionalRedis did not write. The command did not run.
     */
    ERROR_REPLY(false, false, false),

    /** This client did not send the command because its own request queue is full: load, not an outage. */
    QUEUE_FULL(false, false, true),

    /** Anything else (a bug, a closed client): not held against the server; whether the command ran is not known. */
    OTHER(false, true, true);

    private final boolean countsAsFailure;
    private final boolean mayHaveRun;
    private final boolean retryable;

    FailureKind(boolean countsAsFailure, boolean mayHaveRun, boolean retryable) {
        this.countsAsFailure = countsAsFailure;
        this.mayHaveRun = mayHaveRun;
        this.retryable = retryable;
    }

    /** Returns whether the failure means the server could not be reached or did not answer. */
    public boolean countsAsFailure() {
        return countsAsFailure;
    }

    /** Returns whether the server answered (with an error): a success for the region's health. */
    public boolean answered() {
        return this == TRANSIENT_REPLY || this == ERROR_REPLY;
    }

    /** Returns whether the command may have run on the server although no success was seen. */
    public boolean mayHaveRun() {
        return mayHaveRun;
    }

    /** Returns whether the same command can succeed later: a missed write is hinted, a read goes elsewhere. */
    public boolean retryable() {
        return retryable;
    }
}
