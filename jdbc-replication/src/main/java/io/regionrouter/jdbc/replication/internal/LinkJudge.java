package io.regionrouter.jdbc.replication.internal;

import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.LinkKind;
import io.regionrouter.jdbc.replication.PlannedSubscription;
import io.regionrouter.jdbc.replication.ReplicationLink;
import io.regionrouter.jdbc.replication.SenderStatus;
import io.regionrouter.jdbc.replication.StandbyStatus;
import io.regionrouter.jdbc.replication.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges each replication path from one poll's readings. Missing or disabled subscriptions and
 * promoted standbys are broken at once; states that also occur briefly in normal operation (an apply
 * worker restarting, a sender reconnecting, a database not answering) count as broken only once they
 * have lasted {@code brokenAfter}. Not thread-safe; the monitor polls one at a time.
 */
public final class LinkJudge {

    /** What the monitor read from one region's database, or why it could not. */
    public record RegionReading(List<SenderStatus> senders, List<SubscriptionStatus> subscriptions, String error) {
    }

    /** A configured standby with what it reported, or why it could not. */
    public record StandbyReading(Region primary, String name, StandbyStatus status, String error) {
    }

    private final Duration brokenAfter;
    private final Map<String, Instant> suspectSince = new HashMap<>();

    /**
     * Creates the judge.
     *
     * @param brokenAfter how long a transient problem must last to count as broken
     */
    public LinkJudge(Duration brokenAfter) {
        this.brokenAfter = brokenAfter;
    }

    /**
     * Judges every link.
     *
     * @param now the poll time
     * @param expected the subscriptions that must exist
     * @param readings each monitored region's reading
     * @param standbys each configured standby's reading
     * @return the links: expected subscriptions, then other subscriptions found, then standbys
     */
    public List<ReplicationLink> judge(Instant now, List<PlannedSubscription> expected, Map<Region, RegionReading> readings,
            List<StandbyReading> standbys) {
        Map<String, Region[]> logical = new LinkedHashMap<>();
        expected.forEach(s -> logical.put(s.name(), new Region[] {s.publisher(), s.subscriber()}));
        readings.forEach((region, reading) -> reading.subscriptions().forEach(sub -> logical.putIfAbsent(sub.name(),
                new Region[] {senderRegion(sub.name(), readings), region})));
        List<ReplicationLink> links = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        logical.forEach((name, ends) -> {
            links.add(logical(now, name, ends[0], ends[1], readings));
            seen.add(name);
        });
        for (StandbyReading s : standbys) {
            links.add(physical(now, s));
            seen.add(s.name());
        }
        suspectSince.keySet().retainAll(seen);
        return links;
    }

    private static Region senderRegion(String name, Map<Region, RegionReading> readings) {
        for (Map.Entry<Region, RegionReading> e : readings.entrySet()) {
            if (e.getValue().senders().stream().anyMatch(s -> name.equals(s.applicationName()))) {
                return e.getKey();
            }
        }
        return null;
    }

    private ReplicationLink logical(Instant now, String name, Region source, Region target, Map<Region, RegionReading> readings) {
        RegionReading sub = readings.get(target);
        RegionReading pub = source == null ? null : readings.get(source);
        Optional<SenderStatus> sender = pub == null || pub.error() != null ? Optional.empty()
                : pub.senders().stream().filter(s -> name.equals(s.applicationName())).findFirst();
        Optional<Duration> lag = sender.flatMap(SenderStatus::effectiveReplayLag);
        String hard = null;
        String soft = null;
        if (sub == null || sub.error() != null) {
            soft = "region " + target + " could not be read" + (sub == null ? "" : ": " + sub.error());
        } else {
            Optional<SubscriptionStatus> status = sub.subscriptions().stream().filter(s -> s.name().equals(name)).findFirst();
            if (status.isEmpty()) {
                hard = "subscription " + name + " is missing in region " + target;
            } else if (!status.get().enabled()) {
                hard = "subscription " + name + " is disabled in region " + target;
            } else if (!status.get().workerRunning()) {
                soft = "the apply worker of subscription " + name + " is not running in region " + target;
            }
        }
        if (hard == null && soft == null) {
            if (source == null) {
                soft = "no monitored region has a WAL sender for subscription " + name;
            } else if (pub == null || pub.error() != null) {
                soft = "publisher region " + source + " could not be read" + (pub == null ? "" : ": " + pub.error());
            } else if (sender.isEmpty()) {
                soft = "publisher region " + source + " has no WAL sender for subscription " + name;
            }
        }
        return link(now, name, LinkKind.LOGICAL, source, target.id(), lag, hard, soft);
    }

    private ReplicationLink physical(Instant now, StandbyReading s) {
        String hard = null;
        String soft = null;
        Optional<Duration> lag = Optional.empty();
        if (s.status() == null) {
            soft = "standby " + s.name() + " could not be read: " + s.error();
        } else if (!s.status().inRecovery()) {
            hard = "standby " + s.name() + " is no longer in recovery (promoted?)";
        } else {
            lag = s.status().replayLag();
            if (!s.status().receiving()) {
                soft = "standby " + s.name() + " is not streaming WAL from its primary";
            }
        }
        return link(now, s.name(), LinkKind.PHYSICAL, s.primary(), s.name(), lag, hard, soft);
    }

    private ReplicationLink link(Instant now, String name, LinkKind kind, Region source, String target,
            Optional<Duration> lag, String hard, String soft) {
        if (hard != null) {
            suspectSince.remove(name);
            return new ReplicationLink(name, kind, source, target, lag, false, hard);
        }
        if (soft == null) {
            suspectSince.remove(name);
            return new ReplicationLink(name, kind, source, target, lag, true, null);
        }
        Instant since = suspectSince.computeIfAbsent(name, n -> now);
        boolean broken = Duration.between(since, now).compareTo(brokenAfter) >= 0;
        return new ReplicationLink(name, kind, source, target, lag, !broken, soft);
    }
}
