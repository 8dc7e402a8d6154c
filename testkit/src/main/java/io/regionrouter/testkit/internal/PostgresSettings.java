package io.regionrouter.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The default PostgreSQL server settings of the testkit and the check for extra ones. */
public final class PostgresSettings {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_.]*");
    // values reach the server through pg_ctl's shell command line, so keep them shell-safe
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:,/+-]*|''");

    private PostgresSettings() {
    }

    /** Returns the defaults, in a new mutable map. */
    public static Map<String, String> defaults() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("listen_addresses", "127.0.0.1");
        s.put("unix_socket_directories", "''");
        s.put("max_connections", "200");
        s.put("shared_buffers", "32MB");
        s.put("wal_level", "logical");
        s.put("max_wal_senders", "10");
        s.put("max_replication_slots", "10");
        s.put("hot_standby", "on");
        s.put("hot_standby_feedback", "on");
        s.put("track_commit_timestamp", "on");
        s.put("max_worker_processes", "16");
        s.put("max_logical_replication_workers", "8");
        s.put("password_encryption", "scram-sha-256");
        return s;
    }

    /**
     * Checks one setting.
     *
     * @param key the setting's name
     * @param value its value
     * @throws IllegalArgumentException naming the bad part
     */
    public static void check(String key, String value) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("postgresSetting.key must match " + KEY + ", but was " + quote(key));
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("postgresSetting(" + key + ").value must match " + VALUE
                    + ", but was " + quote(value));
        }
        if (key.equals("port") || key.equals("listen_addresses")) {
            throw new IllegalArgumentException("postgresSetting.key must not be " + key
                    + " (the testkit owns it), but was " + quote(key));
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
