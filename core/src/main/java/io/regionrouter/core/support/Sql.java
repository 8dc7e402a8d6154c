package io.regionrouter.core.support;

import io.regionrouter.core.InvalidConfigurationException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and quoting of the few SQL fragments that region-router builds itself. Every name
 * that ends up in SQL text is validated against a strict pattern first; literals are quoted on top
 * of that, so nothing unvalidated is ever concatenated into a statement. Also the two looks at an
 * application's statement that routing needs: whether it commits, and its first word for messages.
 */
public final class Sql {

    /** Longest identifier PostgreSQL keeps without truncation. */
    public static final int MAX_IDENTIFIER_LENGTH = 63;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern SESSION_SETTING = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)+");
    private static final Pattern COLUMN_TYPE =
            Pattern.compile("[A-Za-z][A-Za-z0-9_ ,()\\[\\]]*");

    private Sql() {
    }

    /**
     * Checks an unquoted, lower-case identifier.
     *
     * @param field the property name for the message
     * @param value the identifier
     * @param maxLength the longest value allowed
     * @return the value
     */
    public static String identifier(String field, String value, int maxLength) {
        if (value == null || !IDENTIFIER.matcher(value).matches() || value.length() > maxLength) {
            throw new InvalidConfigurationException(field, value, field + " must match [a-z_][a-z0-9_]* and be at most "
                    + maxLength + " characters, but was " + quoteForMessage(value));
        }
        return value;
    }

    /**
     * Checks an optionally schema-qualified table name such as {@code orders} or {@code app.orders}.
     *
     * @param field the property name for the message
     * @param value the name
     * @param maxLength the longest table part allowed
     * @return the value
     */
    public static String qualifiedName(String field, String value, int maxLength) {
        if (value == null) {
            throw new InvalidConfigurationException(field, null, field + " must not be null");
        }
        int dot = value.indexOf('.');
        if (dot < 0) {
            return identifier(field, value, maxLength);
        }
        try {
            identifier(field, value.substring(0, dot), MAX_IDENTIFIER_LENGTH);
            identifier(field, value.substring(dot + 1), maxLength);
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException(field, value, field
                    + " must be <identifier> or <schema>.<identifier> of [a-z_][a-z0-9_]*, but was "
                    + quoteForMessage(value));
        }
        return value;
    }

    /**
     * Returns the table part of a possibly schema-qualified name.
     *
     * @param qualifiedName a name accepted by {@link #qualifiedName}
     * @return the part after the dot, or the whole name
     */
    public static String tablePart(String qualifiedName) {
        int dot = qualifiedName.indexOf('.');
        return dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1);
    }

    /**
     * Checks the name of a custom session setting (a placeholder GUC), such as {@code app.user_region}.
     *
     * @param field the property name for the message
     * @param value the setting name
     * @return the value
     */
    public static String sessionSetting(String field, String value) {
        if (value == null || !SESSION_SETTING.matcher(value).matches() || value.length() > MAX_IDENTIFIER_LENGTH) {
            throw new InvalidConfigurationException(field, value, field
                    + " must be a custom setting name like app.user_region (lower-case identifiers joined by dots,"
                    + " at most " + MAX_IDENTIFIER_LENGTH + " characters), but was " + quoteForMessage(value));
        }
        return value;
    }

    /**
     * Checks a column type with its modifiers, such as {@code bigint NOT NULL} or
     * {@code numeric(12, 2)}. Quotes, semicolons, comments and operators are rejected.
     *
     * @param field the property name for the message
     * @param value the type definition
     * @return the value
     */
    public static String columnType(String field, String value) {
        if (value == null || !COLUMN_TYPE.matcher(value).matches() || value.contains("--")
                || !balancedWithCommasOnlyInside(value)) {
            throw new InvalidConfigurationException(field, value, field
                    + " must be one type with modifiers made of letters, digits, '_', ' ', '(', ')', '[' and ']',"
                    + " with ',' only inside parentheses (as in numeric(12, 2)), but was " + quoteForMessage(value));
        }
        return value.trim();
    }

    /** A comma outside parentheses would end the column and let the "type" declare another one. */
    private static boolean balancedWithCommasOnlyInside(String value) {
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth < 0) {
                    return false;
                }
            } else if (c == ',' && depth == 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /**
     * Quotes a string as an SQL literal. Callers validate the value first; quoting is a second line.
     *
     * @param value the value
     * @return the literal, in single quotes
     */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * The connection-init statement that binds the region to a physical connection.
     *
     * @param sessionSetting a validated setting name
     * @param regionId a validated region id
     * @return {@code SELECT set_config('<setting>', '<region>', false)}
     */
    public static String bindRegion(String sessionSetting, String regionId) {
        return "SELECT set_config(" + literal(sessionSetting) + ", " + literal(regionId) + ", false)";
    }

    /**
     * Turns a region id into an identifier fragment ({@code eu-west-1} becomes {@code eu_west_1}).
     * Region ids never contain {@code _}, so distinct regions give distinct fragments.
     *
     * @param regionId a region id
     * @return the fragment
     */
    public static String regionSuffix(String regionId) {
        return regionId.replace('-', '_');
    }

    private static String quoteForMessage(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    /**
     * Whether a statement's text commits the transaction it runs in ({@code COMMIT}, {@code END},
     * {@code COMMIT PREPARED}), judged by its first word.
     *
     * @param sql the statement, may be null
     * @return true if it starts with {@code COMMIT} or {@code END}, in any case
     */
    public static boolean isCommit(String sql) {
        if (sql == null) {
            return false;
        }
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        return firstWordIs(sql, start, "commit") || firstWordIs(sql, start, "end");
    }

    private static boolean firstWordIs(String sql, int start, String word) {
        int end = start + word.length();
        return sql.regionMatches(true, start, word, 0, word.length())
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }

    /**
     * Names a statement for a message by its first word only, such as {@code "an INSERT statement"}:
     * the rest of its text may hold personal data or secrets.
     *
     * @param sql the statement, may be null
     * @return a description without the statement's values
     */
    public static String describe(String sql) {
        String word = kind(sql);
        if (word == null) {
            return "a statement";
        }
        return ("AEIOU".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word + " statement";
    }

    /**
     * A statement's kind for observations: its first word in upper case, at most 16 letters, such
     * as {@code SELECT}; the rest of its text may hold personal data or secrets.
     *
     * @param sql the statement, may be null
     * @return the first word, or null when the text is null or starts with no letter
     */
    public static String kind(String sql) {
        if (sql == null) {
            return null;
        }
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < sql.length() && end - start < 16 && Character.isLetter(sql.charAt(end))) {
            end++;
        }
        return end == start ? null : sql.substring(start, end).toUpperCase(Locale.ROOT);
    }
}
