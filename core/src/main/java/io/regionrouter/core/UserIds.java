package io.regionrouter.core;

import io.regionrouter.core.support.Messages;

/**
 * The rule every user id must satisfy: 1 to {@value #MAX_LENGTH} characters, not blank, and no
 * control characters (no CR, LF, tab or NUL), so an id can neither forge a log line nor fill a log
 * or a cache key with a megabyte of input. The router, {@link RegionContext} and the directories
 * check it at the call; a violation is an {@link IllegalArgumentException} whose message shows the
 * value escaped and cut to its first 64 characters.
 */
public final class UserIds {

    /** Longest user id, in UTF-16 code units: {@value}. */
    public static final int MAX_LENGTH = 256;

    /** The rule, for messages and documentation. */
    public static final String RULE = "1 to " + MAX_LENGTH + " characters, not blank, without control characters";

    private UserIds() {
    }

    /**
     * Checks a user id.
     *
     * @param field the name of the argument or field, for the message
     * @param userId the user id
     * @return the user id, unchanged
     * @throws NullPointerException if the user id is null
     * @throws IllegalArgumentException if it breaks the rule
     */
    public static String check(String field, String userId) {
        if (userId == null) {
            throw new NullPointerException(field);
        }
        if (userId.length() > MAX_LENGTH || userId.isBlank() || hasControl(userId)) {
            throw new IllegalArgumentException(field + " must be " + RULE + ", but was " + Messages.quote(userId));
        }
        return userId;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
