package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.regionrouter.jdbc.failover.internal.PrimaryChoice;
import io.regionrouter.jdbc.failover.internal.PrimaryChoice.Follow;
import io.regionrouter.jdbc.failover.internal.PrimaryChoice.Keep;
import io.regionrouter.jdbc.failover.internal.PrimaryChoice.Refuse;
import io.regionrouter.jdbc.failover.internal.ServerState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The follow rules on their own: which server an instance may write, from what the servers said. */
class PrimaryChoiceTest {

    private static ServerState primary(int timeline, long epoch) {
        return new ServerState(false, false, new PrimaryIdentity(42, timeline, epoch));
    }

    private static ServerState standby(int timeline, long epoch) {
        return new ServerState(true, false, new PrimaryIdentity(42, timeline, epoch));
    }

    private static ServerState fenced(int timeline, long epoch) {
        return new ServerState(false, true, new PrimaryIdentity(42, timeline, epoch));
    }

    private static Map<String, ServerState> answers(Object... nameAndState) {
        Map<String, ServerState> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndState.length; i += 2) {
            m.put((String) nameAndState[i], (ServerState) nameAndState[i + 1]);
        }
        return m;
    }

    @Test
    void atStart_withEveryServerAnswering_adoptsTheOnlyWritableOne() {
        assertThat(PrimaryChoice.decide(answers("a", primary(1, 0), "b", standby(1, 0)), 2, null, null))
                .isEqualTo(new Follow("a", new PrimaryIdentity(42, 1, 0)));
    }

    @Test
    void atStart_withAServerSilent_refuses_evenIfTheOtherIsWritable() {
        assertThat(PrimaryChoice.decide(answers("a", primary(1, 0)), 2, null, null)).isInstanceOf(Refuse.class);
    }

    @Test
    void oldPrimaryBackWritable_onAnOlderTimeline_isNeverChosen() {
        Map<String, ServerState> both = answers("a", primary(1, 0), "b", primary(2, 1));
        assertThat(PrimaryChoice.decide(both, 2, null, null)).isEqualTo(new Follow("b", new PrimaryIdentity(42, 2, 1)));
        assertThat(PrimaryChoice.decide(both, 2, "a", new PrimaryIdentity(42, 1, 0)))
                .isEqualTo(new Follow("b", new PrimaryIdentity(42, 2, 1)));
        assertThat(PrimaryChoice.decide(both, 2, "b", new PrimaryIdentity(42, 2, 1))).isInstanceOf(Keep.class);
    }

    @Test
    void newPrimarySilent_oldOneWritable_isRefusedOnceANewerTimelineWasSeen() {
        assertThat(PrimaryChoice.decide(answers("a", primary(1, 0)), 2, "b", new PrimaryIdentity(42, 2, 1)))
                .isInstanceOf(Keep.class); // b is silent: its own connections fail, a is never taken
        assertThat(PrimaryChoice.decide(answers("a", primary(1, 0)), 2, null, new PrimaryIdentity(42, 2, 1)))
                .isInstanceOf(Refuse.class);
    }

    @Test
    void confirmedPrimaryOvertaken_byAStandbyOnANewerTimeline_isRefused() {
        // a standby already receives timeline 2 from a primary this instance cannot see
        assertThat(PrimaryChoice.decide(answers("a", primary(1, 0), "c", standby(2, 1)), 3, "a", new PrimaryIdentity(42, 1, 0)))
                .isInstanceOf(Refuse.class);
    }

    @Test
    void fencedOrDemotedPrimary_isRefused() {
        assertThat(PrimaryChoice.decide(answers("a", fenced(1, 0), "b", standby(1, 0)), 2, "a", new PrimaryIdentity(42, 1, 0)))
                .isInstanceOf(Refuse.class);
        assertThat(PrimaryChoice.decide(answers("a", standby(1, 0), "b", standby(1, 0)), 2, "a", new PrimaryIdentity(42, 1, 0)))
                .isInstanceOf(Refuse.class);
    }

    @Test
    void twoWritableServersAtTheSameIdentity_areBothRefused_theEpochBreaksTheTie() {
        assertThat(PrimaryChoice.decide(answers("a", primary(2, 1), "b", primary(2, 1)), 2, null, null)).isInstanceOf(Refuse.class);
        assertThat(PrimaryChoice.decide(answers("a", primary(2, 1), "b", primary(2, 2)), 2, null, null))
                .isEqualTo(new Follow("b", new PrimaryIdentity(42, 2, 2)));
    }

    @Test
    void confirmedPrimarySilent_withNothingNewer_isKept() {
        assertThat(PrimaryChoice.decide(answers("b", standby(1, 0)), 2, "a", new PrimaryIdentity(42, 1, 0))).isInstanceOf(Keep.class);
    }
}
