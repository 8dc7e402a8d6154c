package io.regionrouter.jdbc.failover.internal;

import io.regionrouter.jdbc.failover.PrimaryIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from what every server of a group said, which one this instance may write. Pure; the
 * rules, each of which fails closed:
 * <ol>
 *   <li>The top identity is the highest (timeline, epoch) any server reports, or this instance has
 *       seen before. Only a writable server at the top identity may be written; a writable server
 *       on an older timeline never is.</li>
 *   <li>Two writable servers at the top identity: refuse (no way to tell which one is real).</li>
 *   <li>An instance that has not yet confirmed a primary (at start, or after refusing) adopts one
 *       only when every server of the group answered: a server it could not ask might be on a
 *       newer timeline. An instance that follows a confirmed primary moves to a newer one as soon as
 *       it sees it.</li>
 *   <li>The confirmed primary still answers but is no longer writable at the top identity (demoted,
 *       fenced read-only, or overtaken by a newer timeline it cannot see writable): refuse.</li>
 *   <li>The confirmed primary does not answer and no newer one is seen: keep it; its connections
 *       fail on their own and nothing else can be proven newer.</li>
 * </ol>
 */
public final class PrimaryChoice {

    /** What to do. */
    public sealed interface Decision permits Keep, Follow, Refuse {
    }

    /** Nothing changes. */
    public record Keep() implements Decision {
    }

    /**
     * Write to this server from now on.
     *
     * @param server its name
     * @param identity its identity
     */
    public record Follow(String server, PrimaryIdentity identity) implements Decision {
    }

    /**
     * Write nowhere until a later decision.
     *
     * @param reason why
     */
    public record Refuse(String reason) implements Decision {
    }

    private PrimaryChoice() {
    }

    /**
     * Decides.
     *
     * @param answers each server's state by name; a server that did not answer is absent
     * @param servers how many servers the group has
     * @param confirmed the server this instance writes to and has confirmed, or null
     * @param highestSeen the highest identity this instance has ever seen, or null
     * @return the decision
     */
    public static Decision decide(Map<String, ServerState> answers, int servers, String confirmed, PrimaryIdentity highestSeen) {
        PrimaryIdentity top = top(answers, highestSeen);
        if (top == null) {
            return confirmed != null ? new Keep() : new Refuse("no server of the group answered");
        }
        List<String> candidates = new ArrayList<>();
        answers.forEach((name, state) -> {
            if (state.writable() && state.identity().compareTo(top) == 0) {
                candidates.add(name);
            }
        });
        if (candidates.size() > 1) {
            candidates.sort(null);
            return new Refuse("servers " + candidates + " are all writable at " + top + "; refusing to pick one");
        }
        if (candidates.size() == 1) {
            String c = candidates.get(0);
            if (c.equals(confirmed)) {
                return new Keep();
            }
            if (confirmed == null && answers.size() < servers) {
                return new Refuse(c + " is writable at " + top + ", but only " + answers.size() + " of " + servers
                        + " servers answered, so a newer primary cannot be ruled out");
            }
            return new Follow(c, answers.get(c).identity());
        }
        if (confirmed == null) {
            return new Refuse("no server is writable at the newest identity seen " + top);
        }
        ServerState current = answers.get(confirmed);
        if (current == null) {
            return new Keep();
        }
        return new Refuse(confirmed + " is " + (current.inRecovery() ? "in recovery" : current.readOnly() ? "read-only"
                : "writable but at " + current.identity() + ", older than " + top) + "; no server is writable at " + top);
    }

    /** The highest identity reported or seen before, or null. */
    public static PrimaryIdentity top(Map<String, ServerState> answers, PrimaryIdentity highestSeen) {
        Optional<PrimaryIdentity> reported = answers.values().stream().map(ServerState::identity).max(PrimaryIdentity::compareTo);
        if (reported.isEmpty()) {
            return highestSeen;
        }
        return reported.get().isNewerThan(highestSeen) ? reported.get() : highestSeen;
    }
}
