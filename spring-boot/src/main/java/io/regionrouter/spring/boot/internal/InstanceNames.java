package io.regionrouter.spring.boot.internal;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/** A default name for this instance among the fleet: host and process id. */
public final class InstanceNames {

    private InstanceNames() {
    }

    /**
     * This instance's default name.
     *
     * @return {@code <host>-<pid>}, with characters outside [A-Za-z0-9_.@-] replaced
     */
    public static String local() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        String name = host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        name = name.replaceAll("[^A-Za-z0-9_.@-]", "_");
        return name.length() > 128 ? name.substring(0, 128) : name;
    }
}
