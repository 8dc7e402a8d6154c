package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.support.Bounds;
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

    /**
     * Holds every store's freeze, given the digests verified at the catch-up (null to take them now);
     * the least time any of them had left, {@code Long.MAX_VALUE} with none.
     */
    public long holdFreeze(String user, Region source, List<UserDataMover.Digest[]> verified) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < movers.size(); i++) {
            UserDataMover m = movers.get(i);
            UserDataMover.Digest digest = verified != null ? verified.get(i)[0] : m.digest(user, source);
            least = Math.min(least, m.holdFreeze(user, source, digest));
        }
        return least;
    }

    /** What the catch-up of every store copied, and each store's digests after it. */
    public record CatchUp(String copied, List<UserDataMover.Digest[]> sides) {
    }

    /**
     * Starts the catch-up of every store, each on its own thread, so that it runs alongside the rows'
     * (the freeze window is the longest of them, not their sum).
     */
    public java.util.concurrent.CompletableFuture<CatchUp> catchUpAsync(String user, Region source, Region target) {
        List<java.util.concurrent.CompletableFuture<Object[]>> each = new ArrayList<>();
        for (UserDataMover m : movers) {
            java.util.concurrent.CompletableFuture<Object[]> f = new java.util.concurrent.CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    long copied = m.copy(user, source, target);
                    f.complete(new Object[] {copied, new UserDataMover.Digest[] {m.digest(user, source), m.digest(user, target)}});
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "region-router-move-" + m.name());
            t.setDaemon(true);
            t.start();
            each.add(f);
        }
        return java.util.concurrent.CompletableFuture.allOf(each.toArray(new java.util.concurrent.CompletableFuture[0]))
                .thenApply(v -> {
                    StringBuilder copied = new StringBuilder();
                    List<UserDataMover.Digest[]> sides = new ArrayList<>();
                    for (int i = 0; i < movers.size(); i++) {
                        Object[] r = each.get(i).join();
                        copied.append(", ").append(movers.get(i).name()).append(' ').append(r[0]).append(" copied");
                        sides.add((UserDataMover.Digest[]) r[1]);
                    }
                    return new CatchUp(copied.toString(), sides);
                });
    }

    /** Waits for a catch-up; a store's failure is thrown as it was. */
    public static CatchUp join(java.util.concurrent.CompletableFuture<CatchUp> catchUp) {
        try {
            return catchUp.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
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
