package io.regionrouter.core.internal;

/**
 * Formatting helpers for error messages.
 */
public final class Messages {

    private Messages() {
    }

    /**
     * Quotes a value for an error message: strings in double quotes, {@code null} as {@code null},
     * anything else through {@code String.valueOf}.
     *
     * @param value the value
     * @return the formatted value
     */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "\"" + value + "\"";
        }
        return String.valueOf(value);
    }
}
