package io.regionrouter.core.support;

import io.regionrouter.core.InvalidConfigurationException;
import java.time.Duration;

/**
 * Range checks for settings: each failure is an {@link InvalidConfigurationException} that names
 * the field, the range and the value, truncated so a huge value cannot flood a log line.
 */
public final class Bounds {

    /** The longest rendering of a bad value in a message. */
    static final int MAX_VALUE_CHARS = 64;

    private Bounds() {
    }

    /**
     * Checks that a duration lies in {@code [min, max]}.
     *
     * @param field the setting's name
     * @param value the value, may be null (refused)
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     */
    public static Duration duration(String field, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidConfigurationException(field, value, field + " must be in [" + format(min) + ", "
                    + format(max) + "], but was " + (value == null ? "null" : truncate(format(value))));
        }
        return value;
    }

    /**
     * Checks that a count lies in {@code [min, max]}.
     *
     * @param field the setting's name
     * @param value the value
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     */
    public static long count(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidConfigurationException(field, value,
                    field + " must be in [" + min + ", " + max + "], but was " + truncate(Long.toString(value)));
        }
        return value;
    }

    /** Renders a duration for a message: whole milliseconds when it is one, otherwise ISO-8601. */
    static String format(Duration d) {
        try {
            long ms = d.toMillis();
            return d.equals(Duration.ofMillis(ms)) ? ms + " ms" : d.toString();
        } catch (ArithmeticException e) {
            return d.toString(); // beyond Long.MAX_VALUE ms
        }
    }

    /** Cuts a value's rendering to {@value #MAX_VALUE_CHARS} characters, saying how long it was. */
    public static String truncate(String s) {
        return s.length() <= MAX_VALUE_CHARS ? s
                : s.substring(0, MAX_VALUE_CHARS) + "… (" + s.length() + " characters)";
    }
}
