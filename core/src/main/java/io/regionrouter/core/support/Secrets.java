package io.regionrouter.core.support;

import java.util.Locale;
import java.util.regex.Pattern;

/** Masks secrets in JDBC URLs and driver properties before they reach a message or a log line. */
public final class Secrets {

    /** What a masked value is replaced with. */
    public static final String MASK = "****";

    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?i)([?&;][^&;=#]*(password|passwd|pwd|secret|token|key|credential|sslfactoryarg)[^&;=#]*=)[^&;#]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@?#]*:)[^/@?#]*@");

    private Secrets() {
    }

    /**
     * Masks passwords in a JDBC URL: query parameters whose name mentions a password, secret, token
     * or key, and the password part of {@code user:password@host}.
     *
     * @param url the URL, may be null
     * @return the URL with secrets replaced by {@value #MASK}
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String masked = URL_PASSWORD.matcher(url).replaceAll("$1" + MASK);
        return URL_USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /**
     * Tells whether a driver property holds a secret by its name.
     *
     * @param key the property name
     * @return true for names that mention a password ({@code passwd}, {@code pwd}), secret, token,
     *     key ({@code sslkey}, key stores) or credential, and for {@code sslfactoryarg}, which SSL
     *     factories often take as a password
     */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("passwd") || lower.contains("pwd")
                || lower.contains("secret") || lower.contains("token") || lower.contains("key")
                || lower.contains("credential") || lower.equals("sslfactoryarg");
    }
}
