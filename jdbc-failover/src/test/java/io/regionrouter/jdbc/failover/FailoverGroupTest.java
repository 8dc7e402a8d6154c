package io.regionrouter.jdbc.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.RegionPoolConfig;
import io.regionrouter.jdbc.failover.internal.ResidencyGuard;
import io.regionrouter.jdbc.failover.internal.JdbcPgAdmin;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class FailoverGroupTest {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final PgEndpoint PRIMARY = new PgEndpoint("us-primary", US, "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "s3cret");
    static final PgEndpoint STANDBY = new PgEndpoint("us-standby", US, "jdbc:postgresql://127.0.0.1:5433/postgres", "postgres", "s3cret");
    static final RegionPoolConfig POOL = RegionPoolConfig.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:5433/postgres")
            .username("app").password("pw").build();

    @Test
    void endpoint_masksItsPassword() {
        assertThat(PRIMARY.toString()).doesNotContain("s3cret").contains("password=****").contains("us-primary");
    }

    @Test
    void endpoint_asksForVerifiedTls_unlessTheUrlNamesAMode_orPlaintextIsAllowed() {
        JdbcPgAdmin admin = new JdbcPgAdmin(java.util.concurrent.Executors.newSingleThreadExecutor());
        assertThat(PRIMARY.sslMode()).isEqualTo("verify-full");
        assertThat(PRIMARY.weakerThanVerifiedTls()).isFalse();
        assertThat(((PGSimpleDataSource) admin.dataSource(PRIMARY)).getSslMode()).isEqualTo("verify-full");

        PgEndpoint require = new PgEndpoint("x", US, "jdbc:postgresql://h/db?sslmode=require", "u", "p");
        assertThat(require.sslMode()).isEqualTo("require");
        assertThat(require.weakerThanVerifiedTls()).isTrue();
        assertThat(((PGSimpleDataSource) admin.dataSource(require)).getSslMode()).isEqualTo("require");

        PgEndpoint plaintext = PRIMARY.allowingPlaintext();
        assertThat(plaintext.sslMode()).isNull();
        assertThat(plaintext.weakerThanVerifiedTls()).isTrue();
        assertThat(plaintext.toString()).contains("sslmode=driver default").doesNotContain("s3cret");
        assertThat(((PGSimpleDataSource) admin.dataSource(plaintext)).getSslMode()).isNotEqualTo("verify-full");
    }

    @Test
    void endpoint_rejectsBadFieldsByName() {
        assertThatThrownBy(() -> new PgEndpoint("bad name", US, "jdbc:postgresql://h/db", "u", "p"))
                .hasMessage("endpoint.name must match [A-Za-z0-9_.-]{1,64}, but was \"bad name\"");
        assertThatThrownBy(() -> new PgEndpoint("x", US, "jdbc:mysql://h/db", "u", "p"))
                .hasMessage("endpoint x: jdbcUrl must start with jdbc:postgresql:, but was jdbc:mysql://h/db");
        assertThatThrownBy(() -> new PgEndpoint("x", US, "jdbc:postgresql://h/db", " ", "p"))
                .hasMessage("endpoint x: user must not be blank, but was \" \"");
    }

    @Test
    void group_requiresPrimaryStandbyAndPool() {
        assertThatThrownBy(() -> FailoverGroup.builder(US).standby(STANDBY).standbyPool(POOL).build())
                .hasMessage("failover.us.primary must be set, but was not");
        assertThatThrownBy(() -> FailoverGroup.builder(US).primary(PRIMARY).standbyPool(POOL).build())
                .hasMessage("failover.us.standby must be set, but was not");
        assertThatThrownBy(() -> FailoverGroup.builder(US).primary(PRIMARY).standby(STANDBY).build())
                .hasMessage("failover.us.standbyPool must be set, but was not");
    }

    @Test
    void group_refusesTheSameServerAsPrimaryAndStandby() {
        PgEndpoint same = new PgEndpoint("other", US, PRIMARY.jdbcUrl(), "postgres", "x");
        assertThatThrownBy(() -> FailoverGroup.builder(US).primary(PRIMARY).standby(same).standbyPool(POOL).build())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("failover.us.standby must be another server");
    }

    @Test
    void group_defaultsToAsynchronous_andToBuilderKeepsSettings() {
        FailoverGroup g = FailoverGroup.builder(US).primary(PRIMARY).standby(STANDBY).standbyPool(POOL).build();
        assertThat(g.durability()).isEqualTo(Durability.ASYNCHRONOUS);
        assertThat(g.toBuilder().durability(Durability.SYNCHRONOUS).build().durability()).isEqualTo(Durability.SYNCHRONOUS);
        assertThat(g.toString()).doesNotContain("s3cret");
    }

    @Test
    void residency_allowsAStandbyInAnAllowedRegion() {
        Topology t = Topology.builder().regions("us", "eu").primary("us").local("us").residency("us", "eu").build();
        PgEndpoint inEu = new PgEndpoint("eu-standby", EU, STANDBY.jdbcUrl(), "postgres", "x");
        ResidencyGuard.check(t, FailoverGroup.builder(US).primary(PRIMARY).standby(inEu).standbyPool(POOL).build());
    }

    @Test
    void residency_refusesAStandbyOutsideTheAllowedRegions() {
        Topology t = Topology.builder().regions("us", "eu").primary("us").local("us").build();
        PgEndpoint inEu = new PgEndpoint("eu-standby", EU, STANDBY.jdbcUrl(), "postgres", "x");
        FailoverGroup g = FailoverGroup.builder(US).primary(PRIMARY).standby(inEu).standbyPool(POOL).build();
        assertThatThrownBy(() -> ResidencyGuard.check(t, g)).isInstanceOf(FailoverRefusedException.class)
                .hasMessage("failover.us.standby: eu-standby runs in eu, but the REGULATED data of us may only be held in [us];"
                        + " refusing to promote it")
                .satisfies(e -> assertThat(((FailoverRefusedException) e).targetLocation()).isEqualTo(EU));
    }

    @Test
    void residency_refusesAStandbyInARegionOutsideTheTopology() {
        Topology t = Topology.builder().regions("us", "eu").primary("us").local("us").build();
        PgEndpoint inAp = new PgEndpoint("ap-standby", Region.of("ap"), STANDBY.jdbcUrl(), "postgres", "x");
        FailoverGroup g = FailoverGroup.builder(US).primary(PRIMARY).standby(inAp).standbyPool(POOL).build();
        assertThatThrownBy(() -> ResidencyGuard.check(t, g)).isInstanceOf(FailoverRefusedException.class);
    }

    @Test
    void aReplicaNamedLikeAnotherServer_isRefused() {
        PgEndpoint replica = new PgEndpoint("us-standby", US, "jdbc:postgresql://127.0.0.1:5434/postgres", "postgres", "s3cret");
        assertThatThrownBy(() -> FailoverGroup.builder(US).primary(PRIMARY).standby(STANDBY).standbyPool(POOL).replica(replica).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("failover.us.replica.name must differ from every other server's name, but us-standby is used twice");
    }

    @Test
    void poolOf_givesTheStandbysSettings_andThePrimarysOnlyWhenGiven() {
        FailoverGroup g = FailoverGroup.builder(US).primary(PRIMARY).standby(STANDBY).standbyPool(POOL).build();
        assertThat(g.poolOf("us-standby")).isSameAs(POOL);
        assertThat(g.poolOf("us-primary")).isNull();
        assertThat(g.poolOf("nobody")).isNull();
        assertThat(g.toBuilder().primaryPool(POOL).build().poolOf("us-primary")).isSameAs(POOL);
        assertThat(g.members()).containsExactly(PRIMARY, STANDBY);
    }
}
