package io.regionrouter.redis.it;

import io.regionrouter.testkit.LocalRegions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared lifecycle of the integration tests against {@link ThreeRegions}: the servers start before
 * and stop after each test class, every test starts on empty servers without faults, and the
 * instances a test built are closed after it.
 */
abstract class ThreeRegionsBase {

    @RegisterExtension
    static final LocalRegions SERVERS = ThreeRegions.servers();

    static final List<String> ALL = List.of("us", "eu", "ap");

    static ThreeRegions fixture;

    @BeforeEach
    void setUp() {
        if (fixture == null) {
            fixture = new ThreeRegions(SERVERS);
        }
        fixture.reset();
    }

    @AfterEach
    void tearDown() {
        fixture.closeInstances();
    }

    @AfterAll
    static void closeFixture() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }
}
