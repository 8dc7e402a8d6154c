package io.regionrouter.jdbc.failover;

import io.regionrouter.jdbc.failover.internal.PgAdmin;
import io.regionrouter.jdbc.failover.internal.ServerState;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A {@link PgAdmin} whose answers the test sets. */
class StubAdmin implements PgAdmin {

    final List<String> pings = new ArrayList<>();
    volatile boolean reachable;
    volatile int answerOnPing = -1;
    volatile SQLException pingError;
    volatile long writableLsn = -1;
    final List<Long> recordedEpochs = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public DataSource dataSource(PgEndpoint endpoint) {
        return new StubDataSource(endpoint.name());
    }

    @Override
    public synchronized void ping(PgEndpoint endpoint, Duration timeout) throws Exception {
        pings.add(endpoint.name());
        if (pingError != null) {
            throw pingError;
        }
        if (pings.size() != answerOnPing) {
            throw new SQLNonTransientConnectionException("refused", "08001");
        }
    }

    @Override
    public boolean isInRecovery(PgEndpoint endpoint) throws SQLException {
        return writableLsn < 0;
    }

    volatile SQLException promoteError;
    volatile boolean promoteFinishes = true;
    final List<String> promotes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean promote(PgEndpoint standby, Duration wait) throws SQLException {
        promotes.add(standby.name());
        if (promoteError != null) {
            throw promoteError;
        }
        return promoteFinishes;
    }

    @Override
    public PrimarySample samplePrimary(PgEndpoint primary) throws SQLException {
        return new PrimarySample(writableLsn, false, false);
    }

    @Override
    public long standbyLsn(PgEndpoint standby) {
        return 0;
    }

    @Override
    public long writableLsn(PgEndpoint endpoint) throws SQLException {
        if (!reachable) {
            throw new SQLNonTransientConnectionException("refused", "08001");
        }
        return writableLsn;
    }

    @Override
    public boolean awaitReplay(PgEndpoint standby, long lsn, Duration timeout) {
        return true;
    }

    @Override
    public ServerState state(PgEndpoint endpoint) throws SQLException {
        if (!reachable) {
            throw new SQLNonTransientConnectionException("refused", "08001");
        }
        return new ServerState(writableLsn < 0, false, new PrimaryIdentity(1, 1, 0));
    }

    @Override
    public void recordEpoch(PgEndpoint primary, long epoch, String promotedBy) {
        recordedEpochs.add(epoch);
    }
}
