package io.regionrouter.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.regionrouter.core.Access;
import io.regionrouter.core.DataClass;
import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RoutedEvent;

class EventDispatcherTest {

    private final RoutedEvent event = new RoutedEvent("alice", DataClass.REGULATED, Access.READ, Region.of("eu"), false);

    @Test
    void throwingListener_isContained_andLaterListenersStillHear() {
        List<RegionEvent> heard = new ArrayList<>();
        RegionEventListener bad = e -> {
            throw new IllegalStateException("listener bug");
        };
        EventDispatcher d = new EventDispatcher("test", List.of(bad, heard::add));
        assertThatCode(() -> d.publish(event)).doesNotThrowAnyException();
        assertThat(heard).containsExactly(event);
        assertThat(d.listenerFailures()).isEqualTo(1);
    }

    @Test
    void removedListener_hearsNothing() {
        List<RegionEvent> heard = new ArrayList<>();
        RegionEventListener l = heard::add;
        EventDispatcher d = new EventDispatcher("test", List.of());
        assertThat(d.hasListeners()).isFalse();
        d.add(l);
        assertThat(d.hasListeners()).isTrue();
        assertThat(d.remove(l)).isTrue();
        d.publish(event);
        assertThat(heard).isEmpty();
    }
}
