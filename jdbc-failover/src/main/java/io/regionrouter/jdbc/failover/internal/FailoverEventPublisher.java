package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.core.support.TypedEventPublisher;
import io.regionrouter.jdbc.failover.FailoverAbortedEvent;
import io.regionrouter.jdbc.failover.FailoverCompletedEvent;
import io.regionrouter.jdbc.failover.FailoverFailedEvent;
import io.regionrouter.jdbc.failover.FailoverManager;
import io.regionrouter.jdbc.failover.FailoverRefusedEvent;
import io.regionrouter.jdbc.failover.OldPrimaryReturnedEvent;
import io.regionrouter.jdbc.failover.PrimaryFollowedEvent;
import io.regionrouter.jdbc.failover.PrimaryHealthChangedEvent;
import io.regionrouter.jdbc.failover.WritesRefusedEvent;
import java.util.function.Consumer;

/** The failover events by type, over the manager's dispatcher. */
public final class FailoverEventPublisher extends TypedEventPublisher<FailoverManager.EventPublisher>
        implements FailoverManager.EventPublisher {

    /**
     * Creates the publisher.
     *
     * @param events the manager's dispatcher
     */
    public FailoverEventPublisher(EventDispatcher events) {
        super(events);
    }

    @Override
    protected FailoverManager.EventPublisher self() {
        return this;
    }

    @Override
    public FailoverManager.EventPublisher onPrimaryFollowed(Consumer<? super PrimaryFollowedEvent> consumer) {
        return on(PrimaryFollowedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onPrimaryHealthChanged(Consumer<? super PrimaryHealthChangedEvent> consumer) {
        return on(PrimaryHealthChangedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onWritesRefused(Consumer<? super WritesRefusedEvent> consumer) {
        return on(WritesRefusedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onFailoverCompleted(Consumer<? super FailoverCompletedEvent> consumer) {
        return on(FailoverCompletedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onFailoverFailed(Consumer<? super FailoverFailedEvent> consumer) {
        return on(FailoverFailedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onFailoverAborted(Consumer<? super FailoverAbortedEvent> consumer) {
        return on(FailoverAbortedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onFailoverRefused(Consumer<? super FailoverRefusedEvent> consumer) {
        return on(FailoverRefusedEvent.class, consumer);
    }

    @Override
    public FailoverManager.EventPublisher onOldPrimaryReturned(Consumer<? super OldPrimaryReturnedEvent> consumer) {
        return on(OldPrimaryReturnedEvent.class, consumer);
    }
}
