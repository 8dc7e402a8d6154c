package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PgEndpoint;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confirms a primary's failure by probing it directly: every probe must fail to reach it or get no
 * answer. One answer, an SQL error included, is enough to call the failover off.
 */
public final class Confirmation {

    private static final Logger LOG = LoggerFactory.getLogger(Confirmation.class);

    private final PgAdmin admin;
    private final int probes;
    private final Duration timeout;
    private final Duration pause;

    /**
     * Creates the confirmation.
     *
     * @param admin runs the probes
     * @param probes how many probes must fail; 0 confirms at once
     * @param timeout the timeout of each probe
     * @param pause the pause between probes
     */
    public Confirmation(PgAdmin admin, int probes, Duration timeout, Duration pause) {
        this.admin = admin;
        this.probes = probes;
        this.timeout = timeout;
        this.pause = pause;
    }

    /**
     * Probes the primary.
     *
     * @param primary the primary
     * @param simulatedOutage true during a drill: every probe counts as failed without being sent
     * @return empty when the failure is confirmed, or why it is not
     * @throws InterruptedException if interrupted while pausing
     */
    public Optional<String> confirm(PgEndpoint primary, BooleanSupplier simulatedOutage) throws InterruptedException {
        for (int i = 0; i < probes; i++) {
            if (i > 0 && !pause.isZero()) {
                Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
            }
            if (simulatedOutage.getAsBoolean()) {
                continue;
            }
            try {
                admin.ping(primary, timeout);
                return Optional.of(primary.name() + " answered confirmation probe " + (i + 1) + " of " + probes
                        + "; the DOWN was not confirmed");
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!Answers.isUnreachable(e)) {
                    // too many connections, a rotated password, "cannot connect now": the server answered
                    String state = e instanceof java.sql.SQLException sql ? " (SQLSTATE " + sql.getSQLState() + ")" : "";
                    return Optional.of(primary.name() + " answered confirmation probe " + (i + 1) + " of " + probes + " with an error"
                            + state + "; a server that answers is alive, the DOWN was not confirmed");
                }
                Exception expected = e;
                LOG.debug("confirmation probe {} of {} failed, as expected of a dead primary: {}", i + 1, primary.name(),
                        expected.toString());
            }
        }
        return Optional.empty();
    }
}
