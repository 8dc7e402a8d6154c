package io.regionrouter.examples.spring;

import java.util.regex.Pattern;

/**
 * The form of a user id in this example. A user id decides where data is stored and appears in
 * log lines, so only short, plain ids are accepted: nothing that could break a log line or flood it.
 */
final class UserIds {

    /** The rule a user id must match. */
    static final String RULE = "[a-z0-9][a-z0-9._-]{0,63}";

    private static final Pattern PATTERN = Pattern.compile(RULE);
    private static final int QUOTED_LENGTH = 40;

    private UserIds() {
    }

    /** Returns whether {@code userId} matches {@link #RULE}. */
    static boolean isValid(String userId) {
        return userId != null && PATTERN.matcher(userId).matches();
    }

    /** Quotes a rejected value for a startup message: truncated, with control characters escaped. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > QUOTED_LENGTH ? value.substring(0, QUOTED_LENGTH) + "..." : value;
        StringBuilder quoted = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                quoted.append(String.format("\\u%04x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
