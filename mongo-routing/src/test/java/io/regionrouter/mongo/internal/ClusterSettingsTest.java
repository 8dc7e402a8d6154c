package io.regionrouter.mongo.internal;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The cause kept for an invalid connection string: a copy of the driver's exception, scrubbed. */
class ClusterSettingsTest {

    @Test
    void scrubbed_removesThePasswordFromEveryMessageOfTheChain_andKeepsClassesAndStackTraces() {
        String uri = "mongodb:/app:hunter2@h/db";
        IllegalStateException root = new IllegalStateException("bad password hunter2 near 'hunter2'");
        IllegalArgumentException driver = new IllegalArgumentException("invalid user info app:hunter2@h", root);

        IllegalArgumentException copy = ClusterSettings.scrubbed(driver, uri, 0);

        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = copy; t != null && seen.add(t); t = t.getCause()) {
            assertThat(t.getMessage()).doesNotContain("hunter2");
            assertThat(t.toString()).doesNotContain("hunter2");
        }
        assertThat(seen).hasSize(2);
        assertThat(copy).hasMessage("java.lang.IllegalArgumentException: invalid user info app:****@h");
        assertThat(copy.getCause()).hasMessage("java.lang.IllegalStateException: bad password **** near '****'");
        assertThat(copy.getStackTrace()).isEqualTo(driver.getStackTrace());
    }

    @Test
    void scrubbed_stopsOnACycle() {
        IllegalArgumentException a = new IllegalArgumentException("a hunter2");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);
        Throwable copy = ClusterSettings.scrubbed(a, "mongodb://app:hunter2@h", 0);
        int depth = 0;
        for (Throwable t = copy; t != null; t = t.getCause()) {
            depth++;
        }
        assertThat(depth).isLessThanOrEqualTo(9);
    }
}
