package io.regionrouter.mongo.internal;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

/**
 * Tells whether a failed call got as far as sending its command. The synchronous driver starts
 * each command on the calling thread, right before it writes it to the socket, and never reports the
 * handshake of a new connection; so a call during which this thread's count did not move sent
 * nothing, and a write that failed then (server selection, the pool, a handshake that timed out)
 * was certainly not applied.
 *
 * <p>Thread-safe: one counter per thread.
 */
public final class SentCommands implements CommandListener {

    private final ThreadLocal<long[]> started = ThreadLocal.withInitial(() -> new long[1]);

    /** Counts a command about to be sent on this thread. Never throws. */
    @Override
    public void commandStarted(CommandStartedEvent event) {
        started.get()[0]++;
    }

    /** The number of commands this thread started sending so far. */
    public long count() {
        return started.get()[0];
    }

    @Override
    public String toString() {
        return "SentCommands";
    }
}
