package io.regionrouter.jdbc;

import io.regionrouter.core.Region;
import java.sql.SQLRecoverableException;
import java.util.Objects;

/**
 * A statement or commit on a routed connection was sent, and then the link failed or the socket
 * timeout ran out before the database answered: the write <em>may have been applied</em>. The
 * database may still execute and commit it after this exception was thrown (for example once a
 * network partition heals). Retry only what is idempotent, or read back first.
 *
 * <p>Raised for an I/O failure of a statement in auto-commit mode, of {@code commit()}, and of
 * {@code setAutoCommit(true)} inside a transaction (which commits it). A statement that fails inside
 * an explicit transaction is not reported this way: that transaction can no longer commit, so its
 * work is known not to be applied, and the driver's own exception is thrown.
 *
 * <p>SQLState {@value #SQL_STATE} (transaction resolution unknown), the state of the AWS JDBC
 * wrapper's {@code TransactionStateUnknownSQLException}. It is an {@link SQLRecoverableException}
 * (recover by taking a new connection and checking), not a transient one, so Spring translates it
 * into a {@code RecoverableDataAccessException} and a retry on {@code TransientDataAccessException}
 * does not run the write a second time blindly. The cause is the driver's exception. The connection
 * is broken; close it.
 */
public class OutcomeUnknownSQLException extends SQLRecoverableException {

    /** The SQLState: {@value}. */
    public static final String SQL_STATE = "08007";

    private static final long serialVersionUID = 1L;

    private final transient Region region;

    /**
     * Creates the exception.
     *
     * @param what what was sent, such as {@code "statement"} or {@code "commit"}
     * @param region the region the connection belongs to
     * @param cause the driver's failure
     */
    public OutcomeUnknownSQLException(String what, Region region, Throwable cause) {
        super(what + " on region " + region + " may have been applied: the link to the database failed after it was"
                + " sent (" + Objects.requireNonNull(cause, "cause").getMessage() + "); the outcome is unknown, so"
                + " retry only if it is idempotent or after checking", SQL_STATE, cause);
        this.region = region;
    }

    /** The region the write was sent to. */
    public Region region() {
        return region;
    }
}
