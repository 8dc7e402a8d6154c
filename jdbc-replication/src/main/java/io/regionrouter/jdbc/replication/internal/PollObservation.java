package io.regionrouter.jdbc.replication.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.Store;
import io.regionrouter.jdbc.replication.ReplicationLink;
import io.regionrouter.jdbc.replication.ReplicationObservation;
import io.regionrouter.jdbc.replication.ReplicationObservation.Keys;
import java.util.List;
import java.util.Locale;

/**
 * The observation of one poll of the replication monitor and of each path it judged. With a no-op
 * registry nothing is created.
 */
public final class PollObservation {

    private final ObservationRegistry registry;
    private final Observation poll;

    private PollObservation(ObservationRegistry registry, Observation poll) {
        this.registry = registry;
        this.poll = poll;
    }

    /**
     * Starts the observation of a poll.
     *
     * @param registry the monitor's registry
     * @return the poll's observation
     */
    public static PollObservation start(ObservationRegistry registry) {
        if (registry.isNoop()) {
            return new PollObservation(registry, null);
        }
        return new PollObservation(registry, Observation.createNotStarted(ReplicationObservation.POLL.getName(), registry)
                .contextualName("replication poll").lowCardinalityKeyValue(Keys.STORE.asString(), Store.POSTGRES.name())
                .start());
    }

    /**
     * Records each judged path as a child and ends the poll.
     *
     * @param links the judged paths
     * @param partial whether a database could not be read
     */
    public void judged(List<ReplicationLink> links, boolean partial) {
        if (poll == null) {
            return;
        }
        for (ReplicationLink link : links) {
            Observation.createNotStarted(ReplicationObservation.LINK.getName(), registry)
                    .contextualName("replication " + link.source().id() + " -> " + link.target()).parentObservation(poll)
                    .lowCardinalityKeyValue(Keys.STORE.asString(), Store.POSTGRES.name())
                    .lowCardinalityKeyValue(Keys.REGION.asString(), link.source().id())
                    .lowCardinalityKeyValue(Keys.TARGET.asString(), link.target())
                    .lowCardinalityKeyValue(Keys.KIND.asString(), link.kind().name().toLowerCase(Locale.ROOT))
                    .lowCardinalityKeyValue(Keys.OUTCOME.asString(), link.up() ? "up" : "down")
                    .highCardinalityKeyValue(Keys.LAG.asString(),
                            link.lag().map(lag -> Long.toString(lag.toMillis())).orElse("unknown"))
                    .start().stop();
        }
        poll.lowCardinalityKeyValue(Keys.OUTCOME.asString(), partial ? "partial" : "ok").stop();
    }

    /**
     * Ends a poll that failed.
     *
     * @param failure the failure
     */
    public void failed(RuntimeException failure) {
        if (poll != null) {
            poll.lowCardinalityKeyValue(Keys.OUTCOME.asString(), "error").error(failure).stop();
        }
    }
}
