package io.regionrouter.core;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The region directory itself failed (for example its database was unreachable) while looking up
 * one or more users. Always carries the cause. A failed lookup is never mapped to a default region
 * and is never cached as an unknown user.
 */
public class DirectoryLookupException extends RegionRouterException {

    private static final long serialVersionUID = 1L;

    private final List<String> userIds;

    /**
     * Creates the exception for a single-user lookup.
     *
     * @param userId the user being looked up
     * @param cause the directory's failure
     */
    public DirectoryLookupException(String userId, Throwable cause) {
        super("region directory lookup failed for user " + userId + ": " + describe(cause),
                Objects.requireNonNull(cause, "cause"), userId, null);
        this.userIds = List.of(String.valueOf(userId));
    }

    /**
     * Creates the exception for a bulk lookup.
     *
     * @param userIds the users being looked up
     * @param cause the directory's failure
     */
    public DirectoryLookupException(Collection<String> userIds, Throwable cause) {
        super("region directory lookup failed for " + userIds.size() + " user(s) " + abbreviate(userIds)
                        + ": " + describe(cause),
                Objects.requireNonNull(cause, "cause"), userIds.size() == 1 ? userIds.iterator().next() : null,
                null);
        this.userIds = List.copyOf(userIds);
    }

    /**
     * Returns every user of the failed lookup: one for a single lookup, all of them for a bulk
     * lookup. {@link #userId()} is set only when there was exactly one.
     */
    public List<String> userIds() {
        return userIds;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "null";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : cause.getClass().getSimpleName() + ": " + message;
    }

    private static String abbreviate(Collection<String> userIds) {
        final int shown = 10;
        if (userIds.size() <= shown) {
            return userIds.toString();
        }
        return userIds.stream().limit(shown).toList().toString().replace("]", ", ...]");
    }
}
