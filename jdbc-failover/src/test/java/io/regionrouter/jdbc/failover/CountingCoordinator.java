package io.regionrouter.jdbc.failover;

import io.regionrouter.core.Region;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A coordinator that counts how often its instance reported the primary unreachable: once when the
 * primary goes DOWN, and again each time the instance asks the fleet whether it may promote. A test
 * can so wait until every instance has reached that decision, instead of sleeping.
 */
final class CountingCoordinator implements Coordinator {

    private final Coordinator delegate;
    final LongAdder unreachableReports = new LongAdder();

    CountingCoordinator(Coordinator delegate) {
        this.delegate = delegate;
    }

    @Override
    public void join(Region region) {
        delegate.join(region);
    }

    @Override
    public boolean holdsLease(Region region) {
        return delegate.holdsLease(region);
    }

    @Override
    public void reportPrimaryReachable(Region region, boolean reachable) {
        if (!reachable) {
            unreachableReports.increment();
        }
        delegate.reportPrimaryReachable(region, reachable);
    }

    @Override
    public boolean primaryUnreachableForAll(Region region) {
        return delegate.primaryUnreachableForAll(region);
    }

    @Override
    public long nextEpoch(Region region) throws InterruptedException {
        return delegate.nextEpoch(region);
    }

    @Override
    public Duration leaseDuration() {
        return delegate.leaseDuration();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
