package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.core.Region;
import io.regionrouter.core.RegionEvent;
import io.regionrouter.core.RegionState;
import io.regionrouter.core.support.EventDispatcher;
import io.regionrouter.jdbc.failover.internal.FailoverEventPublisher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each typed subscription gets its own event type, and nothing else. */
class FailoverEventPublisherTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");

    @Test
    void eachTypedSubscription_receivesItsTypeOnly() {
        EventDispatcher dispatcher = new EventDispatcher("test", List.of());
        List<RegionEvent> health = new ArrayList<>();
        List<RegionEvent> aborted = new ArrayList<>();
        List<RegionEvent> refused = new ArrayList<>();
        List<RegionEvent> writesRefused = new ArrayList<>();
        List<RegionEvent> all = new ArrayList<>();
        new FailoverEventPublisher(dispatcher)
                .onPrimaryHealthChanged(health::add)
                .onFailoverAborted(aborted::add)
                .onFailoverRefused(refused::add)
                .onWritesRefused(writesRefused::add)
                .onEvent(all::add);

        RegionEvent down = new PrimaryHealthChangedEvent(US, "us-primary", RegionState.DOWN, null);
        RegionEvent abort = new FailoverAbortedEvent(US, "primary answered again");
        RegionEvent refuse = new FailoverRefusedEvent(US, "us-standby", EU);
        RegionEvent writes = new WritesRefusedEvent(US, "no server is writable");
        List.of(down, abort, refuse, writes).forEach(dispatcher::publish);

        assertThat(health).containsExactly(down);
        assertThat(aborted).containsExactly(abort);
        assertThat(refused).containsExactly(refuse);
        assertThat(writesRefused).containsExactly(writes);
        assertThat(all).containsExactly(down, abort, refuse, writes);
    }
}
