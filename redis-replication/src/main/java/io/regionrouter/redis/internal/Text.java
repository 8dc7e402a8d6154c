package io.regionrouter.redis.internal;

/** Quotes caller-supplied text for messages and log lines: control characters escaped, long text cut. */
public final class Text {

    /** Longest text quoted whole. */
    static final int MAX = 64;

    private Text() {
    }

    /**
     * Returns {@code text} in double quotes, with control characters as {@code \\uXXXX} and cut after
     * {@value #MAX} characters with the original length appended.
     */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), MAX);
        StringBuilder sb = new StringBuilder(shown + 24).append('"');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (text.length() > MAX) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }
}
