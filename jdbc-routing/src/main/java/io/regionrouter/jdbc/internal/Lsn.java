package io.regionrouter.jdbc.internal;

/** PostgreSQL WAL positions ({@code pg_lsn}, written {@code 16/B374D848}) as unsigned 64-bit numbers. */
public final class Lsn {

    /** A position before every real one. */
    public static final long NONE = 0L;

    private Lsn() {
    }

    /**
     * Parses {@code hi/lo} in hexadecimal.
     *
     * @param text the position, may be null
     * @return the position, or {@link #NONE} for null
     * @throws IllegalArgumentException if the text is not a pg_lsn
     */
    public static long parse(String text) {
        if (text == null) {
            return NONE;
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("lsn must look like 16/B374D848, but was \"" + text + "\"");
        }
        try {
            long hi = Long.parseLong(text.substring(0, slash), 16);
            long lo = Long.parseLong(text.substring(slash + 1), 16);
            if (hi > 0xFFFFFFFFL || lo > 0xFFFFFFFFL) {
                throw new NumberFormatException("part above 32 bits");
            }
            return (hi << 32) | lo;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lsn must look like 16/B374D848, but was \"" + text + "\"", e);
        }
    }

    /** Formats a position as PostgreSQL does. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    /** Whether {@code a} is at or after {@code b}, comparing unsigned. */
    public static boolean atOrAfter(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }
}
