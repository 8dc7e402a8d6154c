package io.regionrouter.mongo.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets in MongoDB connection strings before they reach a message, a log line or toString(). */
public final class Credentials {

    /** What replaces a password. */
    public static final String MASK = "****";

    private static final Pattern SECRET_OPTION = Pattern.compile("([?&;])([^=&;]*)=([^&;]*)");

    private Credentials() {
    }

    /**
     * Returns {@code uri} with the password of its user info and the value of every option whose name
     * contains "password", "secret" or "token", and of {@code authMechanismProperties}, replaced by {@link #MASK}. Never throws; {@code null} stays {@code null}.
     */
    public static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = uri;
        int lastAt = lastUserInfoAt(masked);
        if (lastAt > 0) {
            int schemeEnd = masked.indexOf("://");
            String userInfo = masked.substring(schemeEnd + 3, lastAt);
            int colon = userInfo.indexOf(':');
            String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
            masked = masked.substring(0, schemeEnd + 3) + user + (colon >= 0 ? ":" + MASK : "")
                    + masked.substring(lastAt);
        }
        Matcher m = SECRET_OPTION.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2).toLowerCase(Locale.ROOT);
            String replacement = isSecret(name)
                    ? m.group(1) + m.group(2) + "=" + MASK
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Replaces every occurrence of the password contained in {@code uri} inside {@code text} (for
     * example a driver's error message that echoes part of the URI).
     */
    public static String scrub(String text, String uri) {
        if (text == null || uri == null) {
            return text;
        }
        String result = text;
        int lastAt = lastUserInfoAt(uri);
        if (lastAt > 0) {
            String userInfo = uri.substring(uri.indexOf("://") + 3, lastAt);
            int colon = userInfo.indexOf(':');
            if (colon >= 0 && colon < userInfo.length() - 1) {
                String password = userInfo.substring(colon + 1);
                result = result.replace(password, MASK);
                // a driver message may quote only the part of an invalid password before a '/', '?' or '@'
                for (String piece : password.split("[/?#@:]")) {
                    if (!piece.isEmpty()) {
                        result = result.replace(piece, MASK);
                    }
                }
            }
        }
        return result.replace(uri, mask(uri));
    }

    private static boolean isSecret(String lowerCaseName) {
        return lowerCaseName.contains("password") || lowerCaseName.contains("secret")
                || lowerCaseName.contains("token") || lowerCaseName.equals("authmechanismproperties");
    }

    /** Index of the '@' ending the user info, or -1; a password may itself contain unescaped '@'. */
    private static int lastUserInfoAt(String uri) {
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0) {
            return -1;
        }
        int hostStart = schemeEnd + 3;
        int pathStart = uri.indexOf('/', hostStart);
        int queryStart = uri.indexOf('?', hostStart);
        int end = uri.length();
        if (pathStart >= 0) {
            end = pathStart;
        }
        if (queryStart >= 0 && queryStart < end) {
            end = queryStart;
        }
        int at = uri.lastIndexOf('@', end - 1);
        if (at >= hostStart) {
            return at;
        }
        // An invalid URI may hold a password with an unescaped '/' or '?' that ends the authority early:
        // then take the last '@' if what precedes it looks like user:password (masking too much is safe).
        int last = uri.lastIndexOf('@');
        return last > hostStart && uri.substring(hostStart, last).indexOf(':') >= 0 ? last : -1;
    }
}
