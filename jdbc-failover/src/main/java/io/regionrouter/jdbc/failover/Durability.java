package io.regionrouter.jdbc.failover;

/** How the standby of a {@link FailoverGroup} is replicated, and so what a failover may lose. */
public enum Durability {

    /**
     * The primary lists the standby in {@code synchronous_standby_names} and commits with
     * {@code synchronous_commit} {@code on}, {@code remote_write} or {@code remote_apply}: a commit
     * is acknowledged only once the standby has the WAL, so no acknowledged write is lost (RPO 0).
     * The manager checks the primary's settings while it samples it and reports whether it could
     * verify them ({@link FailoverReport#synchronousVerified()}).
     */
    SYNCHRONOUS,

    /**
     * Plain streaming replication: a failover may lose the WAL the standby had not received. The
     * manager measures it ({@link FailoverReport#walBytesLost()}).
     */
    ASYNCHRONOUS
}
