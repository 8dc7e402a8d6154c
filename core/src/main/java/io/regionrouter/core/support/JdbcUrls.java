package io.regionrouter.core.support;

/** Reads query parameters of PostgreSQL JDBC URLs. Stateless. */
public final class JdbcUrls {

    /** pgjdbc's TLS mode parameter. */
    public static final String SSL_MODE = "sslmode";

    /** The TLS mode that checks the server's certificate and host name: the only one that stops a man in the middle. */
    public static final String VERIFIED_TLS = "verify-full";

    private JdbcUrls() {
    }

    /**
     * The value of a URL query parameter.
     *
     * @param url the JDBC URL, may be null
     * @param name the parameter name, matched exactly
     * @return the value, "" when the parameter has none, or null when it is absent
     */
    public static String parameter(String url, String name) {
        int query = url == null ? -1 : url.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            if ((eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                return eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return null;
    }
}
