package io.regionrouter.core.support;

/**
 * Formatting helpers for error messages.
 */
public final class Messages {

    private Messages() {
    }

    /** Longest part of a value that a message shows; the rest is summarised by its length. */
    public static final int MAX_SHOWN = 64;

    /**
     * Quotes a value for an error message: strings in double quotes, {@code null} as {@code null},
     * anything else through {@code String.valueOf}. Control characters are escaped, so a value
     * cannot forge a log line, and a long value is cut to {@value #MAX_SHOWN} characters followed by
     * its length, so a megabyte of input never reaches a log whole.
     *
     * @param value the value
     * @return the formatted value
     */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "\"" + printable(value.toString()) + "\"";
        }
        return printable(String.valueOf(value));
    }

    /** Escapes control characters and cuts a long text, as {@link #quote} does, without quotes. */
    public static String printable(String text) {
        int shown = Math.min(text.length(), MAX_SHOWN);
        StringBuilder sb = new StringBuilder(shown + 24);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (text.length() > shown) {
            sb.append("...(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}
