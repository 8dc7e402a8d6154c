package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.SenderStatus;
import io.regionrouter.jdbc.replication.SlotStatus;
import io.regionrouter.jdbc.replication.StandbyStatus;
import io.regionrouter.jdbc.replication.SubscriptionStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every monitored database once, one connection each. A database that cannot be read is
 * recorded with its error and the others are still read. Stateless.
 */
public final class StatusPoll {

    /** A standby to read. */
    public record StandbyTarget(Region primary, String name, DataSource dataSource) {
    }

    /** What one poll read. */
    public record Result(List<SenderStatus> senders, List<SlotStatus> slots, List<SubscriptionStatus> subscriptions,
            List<StandbyStatus> standbys, Map<String, String> errors, Map<Region, LinkJudge.RegionReading> readings,
            List<LinkJudge.StandbyReading> standbyReadings, Set<String> readRegions) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(StatusPoll.class);

    private StatusPoll() {
    }

    /**
     * Reads the regions and the standbys.
     *
     * @param regions each region's monitoring data source
     * @param standbys the standbys
     * @param timeoutSeconds the statement timeout of each query
     * @return what was read
     */
    public static Result read(Map<Region, DataSource> regions, List<StandbyTarget> standbys, int timeoutSeconds) {
        List<SenderStatus> senders = new ArrayList<>();
        List<SlotStatus> slots = new ArrayList<>();
        List<SubscriptionStatus> subscriptions = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Map<Region, LinkJudge.RegionReading> readings = new LinkedHashMap<>();
        Set<String> readRegions = new HashSet<>();
        regions.forEach((region, ds) -> {
            try (Connection c = ds.getConnection()) {
                List<SenderStatus> s = StatusReader.senders(c, region, timeoutSeconds);
                List<SlotStatus> sl = StatusReader.slots(c, region, timeoutSeconds);
                List<SubscriptionStatus> sub = StatusReader.subscriptions(c, region, timeoutSeconds);
                senders.addAll(s);
                slots.addAll(sl);
                subscriptions.addAll(sub);
                readRegions.add(region.id());
                readings.put(region, new LinkJudge.RegionReading(s, sub, null));
            } catch (SQLException e) {
                errors.put(region.id(), e.getMessage());
                readings.put(region, new LinkJudge.RegionReading(List.of(), List.of(), e.getMessage()));
                LOG.debug("[replication-monitor] region {} could not be read: {}", region, e.getMessage());
            }
        });
        List<StandbyStatus> standbyStatuses = new ArrayList<>();
        List<LinkJudge.StandbyReading> standbyReadings = new ArrayList<>();
        for (StandbyTarget s : standbys) {
            try (Connection c = s.dataSource().getConnection()) {
                StandbyStatus status = StatusReader.standby(c, s.primary(), s.name(), timeoutSeconds);
                standbyStatuses.add(status);
                standbyReadings.add(new LinkJudge.StandbyReading(s.primary(), s.name(), status, null));
            } catch (SQLException e) {
                errors.put(s.name(), e.getMessage());
                standbyReadings.add(new LinkJudge.StandbyReading(s.primary(), s.name(), null, e.getMessage()));
                LOG.debug("[replication-monitor] standby {} could not be read: {}", s.name(), e.getMessage());
            }
        }
        return new Result(senders, slots, subscriptions, standbyStatuses, errors, readings, standbyReadings, readRegions);
    }
}
