package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import org.junit.jupiter.api.Test;

class ReplicationEndpointTest {

    static ReplicationEndpoint.Builder valid() {
        return ReplicationEndpoint.builder().admin(UnreachableDataSource.create()).host("db.us.internal").user("replicator")
                .password("s3cr'et\\x");
    }

    @Test
    void conninfo_quotesEveryValue_andEscapesQuotesAndBackslashes() {
        ReplicationEndpoint e = valid().port(6432).database("app").parameter("sslmode", "verify-full").build();

        assertThat(e.conninfo()).isEqualTo("host='db.us.internal' port='6432' dbname='app' user='replicator'"
                + " password='s3cr\\'et\\\\x' sslmode='verify-full'");
    }

    @Test
    void toString_andMaskedConninfo_neverShowThePassword() {
        ReplicationEndpoint e = valid().parameter("sslpassword", "keypass").build();

        assertThat(e.toString()).doesNotContain("s3cr").doesNotContain("keypass").contains("password='****'")
                .contains("sslpassword='****'");
        assertThat(e.maskedConninfo()).doesNotContain("s3cr");
    }

    @Test
    void conninfo_asksForVerifiedTls_unlessAModeIsGiven_orPlaintextIsAllowed() {
        assertThat(valid().build().conninfo()).endsWith(" sslmode='verify-full'");
        assertThat(valid().build().weakerThanVerifiedTls()).isFalse();

        ReplicationEndpoint require = valid().parameter("sslmode", "require").build();
        assertThat(require.conninfo()).endsWith(" sslmode='require'");
        assertThat(require.weakerThanVerifiedTls()).isTrue();

        ReplicationEndpoint plaintext = valid().allowPlaintext(true).build();
        assertThat(plaintext.conninfo()).doesNotContain("sslmode");
        assertThat(plaintext.weakerThanVerifiedTls()).isTrue();
        assertThat(valid().allowPlaintext(true).parameter("sslmode", "verify-full").build().weakerThanVerifiedTls()).isFalse();
    }

    @Test
    void defaults() {
        ReplicationEndpoint e = valid().build();

        assertThat(e.port()).isEqualTo(ReplicationEndpoint.DEFAULT_PORT);
        assertThat(e.database()).isEqualTo(ReplicationEndpoint.DEFAULT_DATABASE);
    }

    @Test
    void badValues_areRefusedNamingTheField() {
        assertThatThrownBy(() -> valid().port(0)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("endpoint.port must be in 1..65535, but was 0");
        assertThatThrownBy(() -> valid().host(" ")).hasMessage("endpoint.host must not be blank, but was \" \"");
        assertThatThrownBy(() -> valid().parameter("password", "x"))
                .hasMessageStartingWith("endpoint.parameter.name must not be one of");
        assertThatThrownBy(() -> valid().parameter("ssl mode", "x"))
                .hasMessage("endpoint.parameter.name must match [a-z_][a-z0-9_]*, but was \"ssl mode\"");
        assertThatThrownBy(() -> ReplicationEndpoint.builder().host("h").user("u").build())
                .hasMessage("endpoint.admin must be set, but was null");
    }

    @Test
    void replicationBuilder_refusesMissingEndpoints_andUnknownRegions() {
        Topology t = Topology.builder().regions("us", "eu").primary("us").local("us").build();
        ReplicationPlan plan = ReplicationPlan.builder().global("products").build();

        assertThatThrownBy(() -> LogicalReplication.builder(t).plan(plan).endpoint(Region.of("us"), valid().build()).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("endpoints must be configured for every region the plan replicates from or to, but these have none: [eu]");
        assertThatThrownBy(() -> LogicalReplication.builder(t).endpoint(Region.of("ap"), valid().build()))
                .hasMessage("endpoints.ap: region must be one of the topology's regions [us, eu], but was ap");
        assertThatThrownBy(() -> LogicalReplication.builder(t).build()).hasMessage("plan must be set, but was null");
    }

    @Test
    void replication_toString_andDdl_neverShowThePassword() {
        Topology t = Topology.builder().regions("us", "eu").primary("us").local("us").build();
        LogicalReplication r = LogicalReplication.builder(t).plan(ReplicationPlan.builder().global("products").build())
                .endpoint(Region.of("us"), valid().build()).endpoint(Region.of("eu"), valid().build()).build();

        assertThat(r.ddl().toString()).doesNotContain("s3cr").contains("CREATE SUBSCRIPTION rr_us_to_eu");
        assertThat(r.toString()).isEqualTo("LogicalReplication[1 publications, 1 subscriptions, prefix=rr]");
    }
}
