package io.regionrouter.jdbc.internal;

import java.util.Locale;

/**
 * Tells, from its text alone, whether SQL may change the session state that a pooled connection
 * carries to its next borrower: the region setting above all. Conservative: a statement is
 * suspect if its text names the setting, {@code set_config} or a Unicode-escaped identifier
 * ({@code U&"…"}, which could spell either), or if any of its statements starts with
 * {@code SET} (other than {@code SET LOCAL} and {@code SET TRANSACTION}, which end with the
 * transaction), {@code RESET}, {@code DISCARD}, {@code DO}, {@code CALL} or {@code LOAD}.
 *
 * <p>Reading the setting ({@code current_setting('app.user_region')}) is not suspect: every way to
 * change it is one of the above. What it cannot see: a function or trigger, called from a {@code SELECT} or fired by
 * a write, that changes the setting inside its body. The database's residency rule does not read the setting, so such a function can only
 * mislead the application's own use of it. Stateless and thread-safe.
 */
final class SessionStatements {

    private static final String[] SESSION_COMMANDS = {"set", "reset", "discard", "do", "call", "load"};

    private SessionStatements() {
    }

    /**
     * Whether {@code sql} may change the session's state.
     *
     * @param sql the statement text, may be null
     * @return true if the connection must not go back to the pool as it is
     */
    static boolean mayChangeSession(String sql) {
        if (sql == null) {
            return false;
        }
        if (containsIgnoreCase(sql, "set_config") || containsIgnoreCase(sql, "pg_settings") || containsIgnoreCase(sql, "u&")) {
            return true;
        }
        int n = sql.length();
        int i = 0;
        while (i < n) {
            i = skipSpaceAndComments(sql, i);
            int start = i;
            while (i < n && Character.isLetter(sql.charAt(i))) {
                i++;
            }
            String word = sql.substring(start, i).toLowerCase(Locale.ROOT);
            if (isSessionCommand(word) && !(word.equals("set") && endsWithTransaction(sql, i))) {
                return true;
            }
            // skip to the next statement; a ';' inside a literal only makes this more careful
            while (i < n && sql.charAt(i) != ';') {
                i++;
            }
            i++;
        }
        return false;
    }

    private static boolean isSessionCommand(String word) {
        for (String command : SESSION_COMMANDS) {
            if (command.equals(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code SET LOCAL …} and {@code SET TRANSACTION …} last until the transaction ends. */
    private static boolean endsWithTransaction(String sql, int from) {
        int i = skipSpaceAndComments(sql, from);
        int start = i;
        while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        String next = sql.substring(start, i).toLowerCase(Locale.ROOT);
        if (next.equals("transaction")) {
            return true;
        }
        if (!next.equals("local")) {
            return false;
        }
        // SET LOCAL SESSION AUTHORIZATION / ROLE also end with the transaction; nothing LOCAL outlives it
        return true;
    }

    private static int skipSpaceAndComments(String sql, int i) {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ';') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else {
                break;
            }
        }
        return i;
    }

    /** PostgreSQL's block comments nest: {@code /* /* *&#47; *&#47;} is one comment. */
    private static int skipBlockComment(String sql, int i) {
        int n = sql.length();
        int depth = 0;
        while (i < n) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static boolean containsIgnoreCase(String text, String part) {
        int max = text.length() - part.length();
        for (int i = 0; i <= max; i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }
}
