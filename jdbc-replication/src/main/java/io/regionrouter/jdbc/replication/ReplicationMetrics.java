package io.regionrouter.jdbc.replication;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer gauges for a {@link ReplicationMonitor}. Needs {@code micrometer-core}, an optional
 * dependency of this module; {@link ReplicationMonitor.Builder#meterRegistry(Object)} binds it
 * without the application naming this class. Gauges read the monitor's latest snapshot and never
 * query a database. A gauge whose value is unknown (a lag not measured, a link gone) reads NaN.
 *
 * <table>
 *   <caption>Meters (Prometheus names in parentheses)</caption>
 *   <tr><th>meter</th><th>tags</th><th>value</th></tr>
 *   <tr><td>{@code region.router.replication.lag} ({@code region_router_replication_lag_seconds})</td>
 *       <td>source, target, link, kind</td><td>replay lag of the link in seconds</td></tr>
 *   <tr><td>{@code region.router.replication.up} ({@code region_router_replication_up})</td>
 *       <td>source, target, link, kind</td><td>1 while the link works, 0 while broken</td></tr>
 *   <tr><td>{@code region.router.replication.slot.retained} ({@code region_router_replication_slot_retained_bytes})</td>
 *       <td>source, target, slot</td><td>WAL retained by the slot in bytes</td></tr>
 * </table>
 *
 * <p>Typical alerts: {@code region_router_replication_lag_seconds > 300},
 * {@code region_router_replication_up == 0}, and
 * {@code region_router_replication_slot_retained_bytes > 1e9} or a
 * {@code deriv(...[30m]) > 0} on it. Gauges appear as the monitor discovers links and slots.
 * Thread-safe.
 */
public final class ReplicationMetrics implements MeterBinder {

    /** Name of the lag gauge. */
    public static final String LAG = "region.router.replication.lag";
    /** Name of the up gauge. */
    public static final String UP = "region.router.replication.up";
    /** Name of the slot retention gauge. */
    public static final String SLOT_RETAINED = "region.router.replication.slot.retained";

    private final ReplicationMonitor monitor;
    private final Map<String, Boolean> registered = new ConcurrentHashMap<>();

    /**
     * Creates the binder.
     *
     * @param monitor the monitor whose snapshots feed the gauges
     */
    public ReplicationMetrics(ReplicationMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor must not be null");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry must not be null");
        register(registry, monitor.latest());
        monitor.addSnapshotListener(snapshot -> register(registry, snapshot));
    }

    private void register(MeterRegistry registry, ReplicationSnapshot snapshot) {
        for (ReplicationLink link : snapshot.links()) {
            String name = link.name();
            if (registered.putIfAbsent("link:" + System.identityHashCode(registry) + ":" + name, Boolean.TRUE) != null) {
                continue;
            }
            Tags tags = Tags.of("source", link.source() == null ? "unknown" : link.source().id(), "target", link.target(),
                    "link", name, "kind", link.kind().name().toLowerCase(java.util.Locale.ROOT));
            Gauge.builder(LAG, monitor, m -> m.latest().link(name).flatMap(ReplicationLink::lag)
                            .map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
                    .tags(tags).baseUnit("seconds").description("replay lag of a replication link").register(registry);
            Gauge.builder(UP, monitor, m -> m.latest().link(name).map(l -> l.up() ? 1.0 : 0.0).orElse(Double.NaN))
                    .tags(tags).description("1 while a replication link works, 0 while it is broken").register(registry);
        }
        for (SlotStatus slot : snapshot.slots()) {
            String region = slot.region().id();
            String slotName = slot.slotName();
            if (registered.putIfAbsent("slot:" + System.identityHashCode(registry) + ":" + region + "/" + slotName, Boolean.TRUE) != null) {
                continue;
            }
            Optional<ReplicationLink> link = snapshot.link(slotName);
            String target = link.map(ReplicationLink::target).orElse(slotName);
            Gauge.builder(SLOT_RETAINED, monitor, m -> m.latest().slots().stream()
                            .filter(s -> s.region().id().equals(region) && s.slotName().equals(slotName)).findFirst()
                            .filter(s -> s.retainedBytes().isPresent()).map(s -> (double) s.retainedBytes().getAsLong())
                            .orElse(Double.NaN))
                    .tags(Tags.of("source", region, "target", target, "slot", slotName)).baseUnit("bytes")
                    .description("WAL retained by a replication slot").register(registry);
        }
    }
}
