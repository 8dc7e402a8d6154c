package io.regionrouter.jdbc.failover;

import io.regionrouter.testkit.LocalRegions;
import io.regionrouter.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;

/**
 * Shared state of the failover integration tests on the single region us: its primary, a standby
 * cloned from it, the fixture and the manager the test class builds in its {@code @BeforeAll}, and
 * their closing after the class.
 */
abstract class UsFailoverBase {

    static PostgresServer primary;
    static PostgresServer standby;
    static FailoverFixture fixture;
    static FailoverManager manager;

    /** Takes us's server as the primary, clones a standby from it and creates the table on both. */
    static void startPrimaryAndStandby(LocalRegions regions) throws Exception {
        primary = regions.region("us").postgres();
        standby = primary.createStandby();
        FailoverFixture.createTable(primary, standby);
    }

    /** Closes the manager, then the fixture; either is null if the set-up failed before creating it. */
    @AfterAll
    static void stop() {
        FailoverManager m = manager;
        FailoverFixture f = fixture;
        manager = null;
        fixture = null;
        primary = null;
        standby = null;
        if (m != null) {
            m.close();
        }
        if (f != null) {
            f.close();
        }
    }
}
