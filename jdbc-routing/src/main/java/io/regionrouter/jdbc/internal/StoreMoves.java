package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.UserDataMover;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link UserDataMover}s of a migration, run one after the other at each step; each method
 * answers with the text its step adds to the audit row.
 */
public final class StoreMoves {

    private final List<UserDataMover> movers;

    public StoreMoves(List<UserDataMover> movers) {
        this.movers = List.copyOf(movers);
    }

    public String copy(String user, Region source, Region target) {
        StringBuilder out = new StringBuilder();
        for (UserDataMover m : movers) {
            out.append(", ").append(m.name()).append(' ').append(m.copy(user, source, target)).append(" copied");
        }
        return out.toString();
    }

    /** Each store's digest in the source ([0]) and the target ([1]). */
    public List<UserDataMover.Digest[]> compare(String user, Region source, Region target) {
        List<UserDataMover.Digest[]> out = new ArrayList<>();
        for (UserDataMover m : movers) {
            out.add(new UserDataMover.Digest[] {m.digest(user, source), m.digest(user, target)});
        }
        return out;
    }

    public String describe(List<UserDataMover.Digest[]> sides, Region source, Region target) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < movers.size(); i++) {
            out.append("; ").append(movers.get(i).name()).append(": ").append(source).append(' ').append(sides.get(i)[0])
                    .append(", ").append(target).append(' ').append(sides.get(i)[1]);
        }
        return out.toString();
    }

    /** The first store whose sides differ, described, or null. */
    public String mismatch(List<UserDataMover.Digest[]> sides, Region source, Region target) {
        for (int i = 0; i < movers.size(); i++) {
            if (!sides.get(i)[0].equals(sides.get(i)[1])) {
                return movers.get(i).name() + " differs: " + sides.get(i)[0] + " in " + source + ", " + sides.get(i)[1]
                        + " in " + target;
            }
        }
        return null;
    }

    public String freeze(String user, Region source, Duration bound) {
        for (UserDataMover m : movers) {
            m.freeze(user, source, bound);
        }
        return movers.isEmpty() ? "" : " (also in " + names() + ")";
    }

    /** Holds every store's freeze; the least time any of them had left, {@code Long.MAX_VALUE} with none. */
    public long holdFreeze(String user, Region source) {
        long least = Long.MAX_VALUE;
        for (UserDataMover m : movers) {
            least = Math.min(least, m.holdFreeze(user, source));
        }
        return least;
    }

    public void fence(String user, Region source, Region target, long epoch) {
        for (UserDataMover m : movers) {
            m.fence(user, source, target, epoch);
            m.clearFence(user, target);
        }
    }

    /** Purges the source and checks that nothing is left there. */
    public String purge(String user, Region source) {
        StringBuilder out = new StringBuilder();
        for (UserDataMover m : movers) {
            long deleted = m.purge(user, source);
            long left = m.digest(user, source).items();
            if (left != 0) {
                throw new IllegalStateException(left + " items of " + m.name() + " of user " + Bounds.truncate(user)
                        + " are still in " + source + " after the purge");
            }
            out.append(", ").append(m.name()).append(' ').append(deleted).append(" deleted, 0 left");
        }
        return out.toString();
    }

    /** Deletes the target's copies and thaws the source. */
    public String undo(String user, Region source, Region target) {
        StringBuilder out = new StringBuilder();
        for (UserDataMover m : movers) {
            long deleted = m.purge(user, target);
            m.unfreeze(user, source);
            out.append(", ").append(m.name()).append(' ').append(deleted).append(" deleted from ").append(target);
        }
        return out.toString();
    }

    /** The user's items left in a region, per store, with a count above zero only. */
    public java.util.Map<String, Long> left(String user, Region region) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (UserDataMover m : movers) {
            long items = m.digest(user, region).items();
            if (items > 0) {
                out.put(m.name(), items);
            }
        }
        return out;
    }

    public List<UserDataMover> movers() {
        return movers;
    }

    private String names() {
        return String.join(", ", movers.stream().map(UserDataMover::name).toList());
    }
}
