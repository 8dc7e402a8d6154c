package io.regionrouter.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects every event it hears. Thread-safe. */
final class RecordingListener implements RegionEventListener {

    private final List<RegionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RegionEvent event) {
        events.add(event);
    }

    List<RegionEvent> events() {
        return List.copyOf(events);
    }

    <T extends RegionEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void clear() {
        events.clear();
    }
}
