package io.regionrouter.jdbc.internal;

import io.regionrouter.core.Region;
import io.regionrouter.core.UserDataMover;
import io.regionrouter.core.support.Bounds;
import io.regionrouter.jdbc.MigrationListener;
import io.regionrouter.jdbc.MoveAbortedException;
import io.regionrouter.jdbc.MoveState;
import io.regionrouter.jdbc.MoveStatus;
import io.regionrouter.jdbc.MovedTable;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The steps of {@code RegionMigration}, run from a move's recorded state to its end: each step does
 * its work, then records the next state and its audit row, then tells the listener.
 */
public final class MoveRunner {

    private final String directoryTable;
    private final Map<Region, DataSource> admins;
    private final List<MovedTable> tables;
    private final List<RowSync> syncs;
    private final MoveStore store;
    private final Duration maxFreeze;
    private final Duration flipMargin;
    private final Duration retention;
    private final Duration sourceCopyWait;
    private final MigrationListener listener;
    private final StoreMoves stores;

    public MoveRunner(String directoryTable, Map<Region, DataSource> admins, List<MovedTable> tables, List<RowSync> syncs,
            MoveStore store, Duration maxFreeze, Duration flipMargin, Duration retention, Duration sourceCopyWait,
            MigrationListener listener, List<UserDataMover> movers) {
        this.stores = new StoreMoves(movers);
        this.directoryTable = directoryTable;
        this.admins = admins;
        this.tables = tables;
        this.syncs = syncs;
        this.store = store;
        this.maxFreeze = maxFreeze;
        this.flipMargin = flipMargin;
        this.retention = retention;
        this.sourceCopyWait = sourceCopyWait;
        this.listener = listener;
    }

    public MoveStatus run(MoveStatus start) throws SQLException {
        MoveStatus status = start;
        String user = status.userId();
        DataSource source = admins.get(status.source());
        DataSource target = admins.get(status.target());
        List<UserDataMover.Digest[]> verified = null; // the stores' digests at the catch-up, for the hold
        while (!status.state().finished()) {
            switch (status.state()) {
                case PLANNED -> {
                    long copied = 0;
                    for (RowSync sync : syncs) {
                        copied += sync.sync(user, source, status.source(), target, status.target()).upserted();
                    }
                    String others = stores.copy(user, status.source(), status.target());
                    status = advance(status, MoveState.COPIED, "copied", copied + " rows copied to " + status.target() + others);
                }
                case COPIED -> {
                    for (RowSync sync : syncs) { // a second pass shortens the catch-up under the freeze
                        sync.sync(user, source, status.source(), target, status.target());
                    }
                    stores.copy(user, status.source(), status.target());
                    status = advance(status, MoveState.VERIFIED, "verified", describe(compare(user, status), status)
                            + stores.describe(stores.compare(user, status.source(), status.target()), status.source(), status.target()));
                }
                case VERIFIED -> {
                    long left = Fences.freeze(source, user, status.startEpoch(), maxFreeze, maxFreeze.dividedBy(4));
                    String others = stores.freeze(user, status.source(), Duration.ofMillis(Math.max(1, left)));
                    status = advance(status, MoveState.FROZEN, "frozen", "writes refused at " + status.source() + " for "
                            + left + " ms at most" + others);
                }
                case FROZEN -> {
                    // the other stores catch up alongside the rows: the freeze lasts the longest, not the sum
                    java.util.concurrent.CompletableFuture<StoreMoves.CatchUp> othersAsync =
                            stores.catchUpAsync(user, status.source(), status.target());
                    long copied = 0;
                    for (RowSync sync : syncs) {
                        copied += sync.sync(user, source, status.source(), target, status.target()).upserted();
                    }
                    List<RowSync.Digest[]> sides = compare(user, status);
                    StoreMoves.CatchUp others = StoreMoves.join(othersAsync);
                    String othersCopied = others.copied();
                    List<UserDataMover.Digest[]> storeSides = others.sides();
                    verified = storeSides;
                    String mismatch = mismatch(sides, status);
                    if (mismatch == null) {
                        mismatch = stores.mismatch(storeSides, status.source(), status.target());
                    }
                    if (mismatch != null) {
                        undo(status, "verification after the catch-up failed: " + mismatch);
                        throw new MoveAbortedException(user, "the move of user " + Bounds.truncate(user) + " was rolled back: "
                                + mismatch);
                    }
                    status = advance(status, MoveState.CAUGHT_UP, "caught-up", copied + " rows caught up" + othersCopied + "; "
                            + describe(sides, status) + stores.describe(storeSides, status.source(), status.target()));
                }
                case CAUGHT_UP -> status = flip(status, source, verified);
                case FLIPPED -> {
                    Fences.markMoved(source, user, status.flipEpoch());
                    Fences.clear(target, user);
                    stores.fence(user, status.source(), status.target(), status.flipEpoch());
                    if (!store.fence(user, retention)) {
                        status = recorded(user);
                        continue;
                    }
                    status = recorded(user);
                    step(status, "fenced", status.source() + " refuses the user's writes; copies kept until "
                            + status.retainUntil() + "; " + awaitSourceCopy(status));
                }
                case FENCED -> {
                    if (status.retainUntil() != null && status.retainUntil().isAfter(Instant.now())) {
                        return status;
                    }
                    status = purge(status);
                }
                default -> throw new IllegalStateException("unexpected state " + status.state());
            }
        }
        return status;
    }

    private MoveStatus flip(MoveStatus status, DataSource source, List<UserDataMover.Digest[]> verified) throws SQLException {
        String user = status.userId();
        long left = Math.min(Fences.freezeLeftMillis(source, user), stores.holdFreeze(user, status.source(), verified));
        if (left < flipMargin.toMillis()) {
            undo(status, "only " + left + " ms of the freeze were left, less than the flip margin of " + flipMargin.toMillis() + " ms");
            throw new MoveAbortedException(user, "the move of user " + Bounds.truncate(user) + " was rolled back: the freeze"
                    + " ran out before the flip (" + left + " ms left)");
        }
        Optional<MoveStatus> flipped = store.flip(user, status.target(), status.startEpoch(), ", " + left + " ms of the freeze left");
        if (flipped.isEmpty()) {
            MoveStatus now = recorded(user);
            if (now.state() == MoveState.FLIPPED) {
                return now; // flipped by a concurrent resume
            }
            undo(status, "the user's epoch is no longer " + status.startEpoch() + ": assigned by someone else meanwhile");
            throw new MoveAbortedException(user, "the move of user " + Bounds.truncate(user) + " was rolled back: the directory"
                    + " changed since the move began (epoch " + status.startEpoch() + ")");
        }
        notifyListener(flipped.get(), "directory names " + status.target() + " at epoch " + flipped.get().flipEpoch() + ", "
                + left + " ms of the freeze left");
        return flipped.get();
    }

    public MoveStatus purge(MoveStatus status) throws SQLException {
        String user = status.userId();
        DataSource source = admins.get(status.source());
        long deleted = 0;
        long left = 0;
        for (RowSync sync : syncs) {
            deleted += sync.purge(source, user, status.source());
            left += sync.digest(source, user, status.source()).rows();
        }
        if (left != 0) {
            throw new IllegalStateException(left + " rows of user " + Bounds.truncate(user) + " are still in " + status.source()
                    + " after the purge");
        }
        String others = stores.purge(user, status.source());
        return advance(status, MoveState.DONE, "purged", deleted + " rows deleted from " + status.source() + ", 0 left" + others);
    }

    public MoveStatus undo(MoveStatus status, String why) throws SQLException {
        String user = status.userId();
        long deleted = 0;
        for (RowSync sync : syncs) {
            deleted += sync.purge(admins.get(status.target()), user, status.target());
        }
        String others = stores.undo(user, status.source(), status.target());
        Fences.unfreeze(admins.get(status.source()), user);
        store.advance(user, status.state(), MoveState.ROLLED_BACK);
        MoveStatus undone = recorded(user);
        step(undone, "rolled-back", why + "; " + deleted + " copied rows deleted from " + status.target() + ", "
                + status.source() + " unfrozen" + others);
        return undone;
    }

    private MoveStatus advance(MoveStatus status, MoveState to, String step, String detail) throws SQLException {
        MoveStatus next = store.advance(status.userId(), status.state(), to, step, detail).orElseThrow(() ->
                new IllegalStateException("the move of user " + Bounds.truncate(status.userId()) + " left " + status.state()
                        + " in another process; run resume to continue"));
        notifyListener(next, detail);
        return next;
    }

    public void step(MoveStatus status, String step, String detail) throws SQLException {
        store.audit(status, step, detail);
        notifyListener(status, detail);
    }

    private void notifyListener(MoveStatus status, String detail) {
        if (listener != null) {
            listener.onStep(status, detail);
        }
    }

    /** Each table's digest in the source ([0]) and the target ([1]). */
    private List<RowSync.Digest[]> compare(String user, MoveStatus status) throws SQLException {
        List<RowSync.Digest[]> out = new ArrayList<>();
        for (RowSync sync : syncs) {
            out.add(new RowSync.Digest[] {sync.digest(admins.get(status.source()), user, status.source()),
                    sync.digest(admins.get(status.target()), user, status.target())});
        }
        return out;
    }

    private String describe(List<RowSync.Digest[]> sides, MoveStatus status) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tables.size(); i++) {
            RowSync.Digest a = sides.get(i)[0];
            RowSync.Digest b = sides.get(i)[1];
            out.append(i == 0 ? "" : "; ").append(tables.get(i).table()).append(": ").append(status.source()).append(' ')
                    .append(a.rows()).append(" rows md5 ").append(a.hash()).append(", ").append(status.target()).append(' ')
                    .append(b.rows()).append(" rows md5 ").append(b.hash());
        }
        return out.toString();
    }

    private String mismatch(List<RowSync.Digest[]> sides, MoveStatus status) {
        for (int i = 0; i < tables.size(); i++) {
            RowSync.Digest a = sides.get(i)[0];
            RowSync.Digest b = sides.get(i)[1];
            if (!a.equals(b)) {
                return tables.get(i).table() + " differs: " + a + " in " + status.source() + ", " + b + " in " + status.target();
            }
        }
        return null;
    }

    private String awaitSourceCopy(MoveStatus status) throws SQLException {
        long start = System.nanoTime();
        long deadline = start + sourceCopyWait.toNanos();
        DataSource source = admins.get(status.source());
        while (Fences.copyEpoch(source, directoryTable, status.userId()) < status.flipEpoch()) {
            if (System.nanoTime() - deadline > 0) {
                return status.source() + "'s copy of the directory did not show the flip within " + sourceCopyWait.toMillis() + " ms";
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while waiting for " + status.source() + "'s copy of the directory";
            }
        }
        return status.source() + "'s copy of the directory showed the flip after " + (System.nanoTime() - start) / 1_000_000 + " ms";
    }

    public MoveStatus recorded(String userId) throws SQLException {
        return store.get(userId).orElseThrow(() -> new IllegalStateException("user " + Bounds.truncate(userId)
                + " has no recorded move"));
    }
}
