/**
 * Real regional servers on one machine for tests: PostgreSQL 17, Redis and a MongoDB-wire server
 * per region, each behind a TCP proxy that can add delay, partition, refuse connections, and a
 * server process that can be killed and restarted.
 *
 * <p>Start with {@link io.regionrouter.testkit.LocalRegions#builder()}. Nothing needs Docker or a
 * local installation: every server comes from Maven artifacts. {@link io.regionrouter.testkit.DockerMongo}
 * adds a real MongoDB where Docker is available and skips tests where it is not.
 */
package io.regionrouter.testkit;
