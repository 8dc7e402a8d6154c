package io.regionrouter.mongo.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in MongoDB connection strings before they reach a message, a log line or toString().
 *
 * <p>Malformed strings are masked too: the user info is found after {@code mongodb} or
 * {@code mongodb+srv} and whatever run of {@code :} and {@code /} follows it ({@code mongodb:/…},
 * {@code mongodb//…}, {@code mongodb+srv:…}), after {@code ://} for any other scheme, or from the start
 * when there is no scheme at all; it ends at the last {@code @} of the authority, or at the last
 * {@code @} of the string when a password holds an unescaped {@code /} or {@code ?}. Masking too much
 * is safe; masking too little is not.
 */
public final class Credentials {

    /** What replaces a password. */
    public static final String MASK = "****";

    private static final Pattern SECRET_OPTION = Pattern.compile("([?&;])([^=&;]*)=([^&;]*)");
    private static final Pattern MONGODB_SCHEME = Pattern.compile("^\\s*mongodb(\\+srv)?:?/*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OTHER_SCHEME = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9+.-]*://+");
    /**
     * Shorter pieces of a password, and shorter odd "ports", are left alone in free text (they would
     * garble it); quoted ones, and the whole password, are masked.
     */
    private static final int MIN_PIECE = 3;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"|'([^']*)'");

    private Credentials() {
    }

    /**
     * Returns {@code uri} with the password of its user info, every non-numeric "port" (in a
     * malformed string, {@code mongodb://app:secret/db} has no user info, and what follows the colon
     * is a password more likely than a port), and the value of every option whose name contains
     * "password", "secret" or "token", and of {@code authMechanismProperties}, replaced by
     * {@link #MASK}. Never throws; {@code null} stays {@code null}.
     */
    public static String mask(String uri) {
        if (uri == null) {
            return null;
        }
        Parts parts = Parts.of(uri);
        StringBuilder masked = new StringBuilder(uri.substring(0, parts.start));
        if (parts.user != null) {
            masked.append(parts.user).append(parts.password != null ? ":" + MASK : "").append('@');
        }
        String[] hosts = uri.substring(parts.hostsStart, parts.hostsEnd).split(",", -1);
        for (int i = 0; i < hosts.length; i++) {
            int colon = portColon(hosts[i]);
            String port = colon < 0 ? "" : hosts[i].substring(colon + 1);
            masked.append(i > 0 ? "," : "").append(isPort(port) ? hosts[i] : hosts[i].substring(0, colon + 1) + MASK);
        }
        masked.append(uri.substring(parts.hostsEnd));
        Matcher m = SECRET_OPTION.matcher(masked.toString());
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
     * Removes the secrets of {@code uri} from {@code text} (for example a driver's error message that
     * echoes part of the URI): the password as written and as decoded, each piece of it between
     * {@code / ? # @ :}, every quoted fragment of the text that is part of the password, the values of
     * secret options, and the URI itself, which is replaced by its {@link #mask masked} form. Never
     * throws; {@code null} stays {@code null}.
     */
    public static String scrub(String text, String uri) {
        if (text == null || uri == null) {
            return text;
        }
        String result = text.replace(uri, mask(uri));
        for (String secret : secrets(uri)) {
            result = result.replace(secret, MASK);
            // a driver message may quote only the part of an invalid password before a '/', '?' or '@'
            for (String piece : secret.split("[/?#@:]")) {
                if (piece.length() >= MIN_PIECE) {
                    result = result.replace(piece, MASK);
                }
            }
            // ... or a fragment of it in quotes, such as URLDecoder's "Error at index 0 in: "ZZ""
            Matcher quoted = QUOTED.matcher(result);
            StringBuilder out = new StringBuilder();
            while (quoted.find()) {
                String inside = quoted.group(1) != null ? quoted.group(1) : quoted.group(2);
                boolean fragment = !inside.isEmpty() && secret.contains(inside);
                String quote = quoted.group().substring(0, 1);
                quoted.appendReplacement(out, Matcher.quoteReplacement(fragment ? quote + MASK + quote : quoted.group()));
            }
            quoted.appendTail(out);
            result = out.toString();
        }
        return result;
    }

    /** The secrets written in {@code uri}: its password (raw and decoded), odd "ports", and the values of secret options. */
    private static Set<String> secrets(String uri) {
        Set<String> secrets = new LinkedHashSet<>();
        Parts parts = Parts.of(uri);
        if (parts.password != null) {
            secrets.add(parts.password);
            try {
                secrets.add(URLDecoder.decode(parts.password, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException undecodable) {
                // the raw form is masked already; an undecodable password has no decoded form to echo
            }
        }
        for (String host : uri.substring(parts.hostsStart, parts.hostsEnd).split(",")) {
            int colon = portColon(host);
            if (colon >= 0 && !isPort(host.substring(colon + 1)) && host.length() - colon - 1 >= MIN_PIECE) {
                secrets.add(host.substring(colon + 1));
            }
        }
        Matcher m = SECRET_OPTION.matcher(uri);
        while (m.find()) {
            if (isSecret(m.group(2).toLowerCase(Locale.ROOT)) && !m.group(3).isEmpty()) {
                secrets.add(m.group(3));
            }
        }
        secrets.remove("");
        return secrets;
    }

    /** Where a host entry's port starts (its colon), or -1; an IPv6 literal's colons are not it. */
    private static int portColon(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close >= 0 && host.startsWith(":", close + 1) ? close + 1 : -1;
        }
        return host.indexOf(':');
    }

    private static boolean isPort(String port) {
        return port.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Where the parts of a connection string are, well-formed or not.
     *
     * @param start where the authority starts (after the scheme and its separators)
     * @param user the user, {@code null} without user info
     * @param password the password as written, {@code null} without one
     * @param hostsStart where the hosts start
     * @param hostsEnd where they end (at the path or the options)
     */
    private record Parts(int start, String user, String password, int hostsStart, int hostsEnd) {
        static Parts of(String uri) {
            int start = authorityStart(uri);
            int lastAt = lastUserInfoAt(uri, start);
            String user = null;
            String password = null;
            int hostsStart = start;
            if (lastAt >= 0) {
                String userInfo = uri.substring(start, lastAt);
                int colon = userInfo.indexOf(':');
                user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
                password = colon >= 0 ? userInfo.substring(colon + 1) : null;
                hostsStart = lastAt + 1;
            }
            int hostsEnd = uri.length();
            for (char c : new char[] {'/', '?'}) {
                int i = uri.indexOf(c, hostsStart);
                if (i >= 0 && i < hostsEnd) {
                    hostsEnd = i;
                }
            }
            return new Parts(start, user, password, hostsStart, hostsEnd);
        }
    }

    private static boolean isSecret(String lowerCaseName) {
        return lowerCaseName.contains("password") || lowerCaseName.contains("secret")
                || lowerCaseName.contains("token") || lowerCaseName.equals("authmechanismproperties");
    }

    /** Where the authority (user info and hosts) starts, for well-formed and malformed strings alike. */
    private static int authorityStart(String uri) {
        Matcher mongodb = MONGODB_SCHEME.matcher(uri);
        if (mongodb.find()) {
            return mongodb.end();
        }
        Matcher other = OTHER_SCHEME.matcher(uri);
        if (other.find()) {
            return other.end();
        }
        return 0;
    }

    /** Index of the '@' ending the user info, or -1; a password may itself contain unescaped '@'. */
    private static int lastUserInfoAt(String uri, int hostStart) {
        int pathStart = uri.indexOf('/', hostStart);
        int queryStart = uri.indexOf('?', hostStart);
        int end = uri.length();
        if (pathStart >= 0) {
            end = pathStart;
        }
        if (queryStart >= 0 && queryStart < end) {
            end = queryStart;
        }
        int at = end == 0 ? -1 : uri.lastIndexOf('@', end - 1);
        if (at >= hostStart) {
            return at;
        }
        // An invalid URI may hold a password with an unescaped '/' or '?' that ends the authority early:
        // then take the last '@' if what precedes it looks like user:password (masking too much is safe).
        int last = uri.lastIndexOf('@');
        return last > hostStart && uri.substring(hostStart, last).indexOf(':') >= 0 ? last : -1;
    }
}
