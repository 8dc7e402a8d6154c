package io.regionrouter.jdbc.replication.internal;

import java.util.Map;
import java.util.Set;

/** Formats libpq connection strings with every value quoted, and masks their passwords. Stateless. */
public final class ConnInfo {

    /** Parameters that {@link io.regionrouter.jdbc.replication.ReplicationEndpoint} sets itself. */
    public static final Set<String> RESERVED = Set.of("host", "hostaddr", "port", "dbname", "user", "password");

    private static final String MASK = "****";

    private ConnInfo() {
    }

    /**
     * Formats a connection string.
     *
     * @param host the host
     * @param port the port
     * @param database the database
     * @param user the user
     * @param password the password, may be null
     * @param parameters extra parameters with validated names
     * @param mask whether to replace the password with a mask
     * @return {@code host='..' port='..' dbname='..' user='..' password='..' ...}
     */
    public static String format(String host, int port, String database, String user, String password,
            Map<String, String> parameters, boolean mask) {
        StringBuilder sb = new StringBuilder();
        append(sb, "host", host);
        append(sb, "port", Integer.toString(port));
        append(sb, "dbname", database);
        append(sb, "user", user);
        if (password != null) {
            append(sb, "password", mask ? MASK : password);
        }
        parameters.forEach((k, v) -> append(sb, k, mask && isSecret(k) ? MASK : v));
        return sb.toString();
    }

    private static boolean isSecret(String name) {
        return name.contains("password") || name.contains("key") || name.contains("secret") || name.contains("token");
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(key).append("='").append(quote(value)).append('\'');
    }

    /**
     * Escapes a libpq value for single quotes: backslash and quote get a backslash.
     *
     * @param value the raw value
     * @return the escaped value
     */
    static String quote(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'");
    }
}
