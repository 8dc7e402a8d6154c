package io.regionrouter.mongo.internal;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;

/**
 * Decides what a driver exception says about the server ({@link CallVerdict}). Only "could not
 * reach" and "did not answer" are failures of the store: a server that replied with an error
 * (duplicate key, unknown command, failed authentication, MaxTimeMSExpired) answered, an exhausted
 * pool is load rather than an outage, a budget spent on the client's side is the caller's, and an
 * encoding or decoding error is the caller's too.
 *
 * <p>The driver wraps what happened at the socket: a client-side operation timeout carries the
 * socket timeout as its cause, an authentication failure the network error that interrupted it,
 * a cleared pool the monitor's failure. So the cause chain is searched for the first exception that
 * decides. Some cases are only told apart by the driver's message: waiting for a server (nothing
 * reachable) or for a pooled connection (all busy, the server fine), and an interruption before or
 * after the request was sent; {@code FailureClassifierTest} pins the timeout messages on exceptions
 * the real driver throws.
 *
 * <p>Stateless and thread-safe.
 */
public final class FailureClassifier {

    /** The driver's error label for a failed write that it knows was not performed. */
    public static final String NO_WRITES_PERFORMED = "NoWritesPerformed";

    private static final int MAX_CAUSES = 8;
    private static final String POOL_WAIT = "while waiting for a connection";
    private static final String[] SERVER_SELECTION = {
        "while waiting for a server", "while waiting for a suitable server", "while waiting to resolve SRV records"};
    // Thrown before sending, when the time left cannot cover one round trip.
    private static final String ROUND_TRIP_LEFT = "Remaining timeoutMS is less than";
    private static final String INTERRUPTED_SENDING = "while sending message";
    private static final String INTERRUPTED_RECEIVING = "while receiving message";

    private FailureClassifier() {
    }

    /** Classifies a failure of a driver call; never throws, {@code null} is {@link CallVerdict#UNJUDGED}. */
    public static CallVerdict classify(Throwable failure) {
        return classify(failure, 0);
    }

    /** Whether the driver labelled the failure as one where no write was performed. */
    public static boolean noWritesPerformed(Throwable failure) {
        return failure instanceof MongoException e && e.hasErrorLabel(NO_WRITES_PERFORMED);
    }

    // depth counts every exception looked at, so a cause chain with a cycle ends too
    private static CallVerdict classify(Throwable failure, int depth) {
        Throwable t = failure;
        for (int d = depth; t != null && d < MAX_CAUSES; d++) {
            CallVerdict verdict = decide(t, d);
            if (verdict != null) {
                return verdict;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return CallVerdict.UNJUDGED;
    }

    /** The verdict for one exception of the chain, or {@code null} to look at its cause. */
    private static CallVerdict decide(Throwable t, int depth) {
        if (t instanceof MongoServerException || t instanceof MongoExecutionTimeoutException) {
            return CallVerdict.ANSWERED;
        }
        if (t instanceof MongoSocketOpenException) {
            return CallVerdict.UNREACHED;
        }
        if (t instanceof MongoSocketException) {
            return CallVerdict.NO_ANSWER;
        }
        if (t instanceof MongoConnectionPoolClearedException) {
            // The pool was paused because its server was found unreachable; this call sent nothing.
            return causeOf(t, depth).isFailure() ? CallVerdict.UNREACHED : CallVerdict.UNJUDGED;
        }
        if (t instanceof MongoTimeoutException timeout) {
            return timeout(timeout, depth);
        }
        if (t instanceof MongoSecurityException) {
            // Authentication is a conversation with the server; it failed on its reply unless the link broke.
            CallVerdict cause = causeOf(t, depth);
            return cause.isFailure() ? cause : CallVerdict.ANSWERED;
        }
        if (t instanceof MongoInterruptedException) {
            String message = String.valueOf(t.getMessage());
            return message.contains(INTERRUPTED_SENDING) || message.contains(INTERRUPTED_RECEIVING)
                    ? CallVerdict.ABANDONED : CallVerdict.UNJUDGED;
        }
        return null;
    }

    private static CallVerdict timeout(MongoTimeoutException t, int depth) {
        String message = String.valueOf(t.getMessage());
        if (message.contains(POOL_WAIT)) {
            return CallVerdict.UNJUDGED;
        }
        for (String selection : SERVER_SELECTION) {
            if (message.contains(selection)) {
                return CallVerdict.UNREACHED;
            }
        }
        CallVerdict cause = causeOf(t, depth);
        if (cause != CallVerdict.UNJUDGED) {
            return cause;
        }
        if (t instanceof MongoOperationTimeoutException) {
            // Without a socket timeout as its cause, the budget ran out on the client's side (a slow pool,
            // earlier retries, a cursor kept open too long), between steps that may include the send.
            return message.startsWith(ROUND_TRIP_LEFT) ? CallVerdict.UNJUDGED : CallVerdict.ABANDONED;
        }
        return CallVerdict.UNJUDGED;
    }

    private static CallVerdict causeOf(Throwable t, int depth) {
        Throwable cause = t.getCause();
        return cause == null || cause == t ? CallVerdict.UNJUDGED : classify(cause, depth + 1);
    }
}
