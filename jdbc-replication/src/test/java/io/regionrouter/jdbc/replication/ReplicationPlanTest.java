package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.DataClass;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.jdbc.replication.internal.Ddl;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicationPlanTest {

    @Test
    void builder_keepsTablesInOrder_withTheirDataClass() {
        ReplicationPlan plan = ReplicationPlan.builder().global("products").regulated("users", "region").build();

        assertThat(plan.tables()).containsExactly(new ReplicatedTable("products", DataClass.GLOBAL, null),
                new ReplicatedTable("users", DataClass.REGULATED, "region"));
        assertThat(plan.globalTables()).extracting(ReplicatedTable::name).containsExactly("products");
        assertThat(plan.regulatedTables()).extracting(ReplicatedTable::name).containsExactly("users");
        assertThat(plan.namePrefix()).isEqualTo(ReplicationPlan.DEFAULT_NAME_PREFIX);
        assertThat(plan.copyRegulatedToAllowedRegions()).isFalse();
        assertThat(plan.regulatedCopies()).isEmpty();
    }

    @Test
    void emptyPlan_isRefused() {
        assertThatThrownBy(() -> ReplicationPlan.builder().build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("plan.tables must name at least one table, but was empty");
    }

    @Test
    void tableDeclaredTwice_isRefused() {
        assertThatThrownBy(() -> ReplicationPlan.builder().global("users").regulated("users", "region"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("plan.table must be declared once, but users was declared twice");
    }

    @Test
    void unsafeNames_areRefused_beforeTheyReachSql() {
        assertThatThrownBy(() -> ReplicationPlan.builder().global("users; DROP TABLE x"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("plan.table must match");
        assertThatThrownBy(() -> ReplicationPlan.builder().regulated("users", "Region"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("plan.table(users).regionColumn must match [a-z_][a-z0-9_]* and be at most 63 characters, but was \"Region\"");
        assertThatThrownBy(() -> ReplicationPlan.builder().namePrefix("a_much_too_long_prefix"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("plan.namePrefix must match");
    }

    @Test
    void copyToHomeItself_isRefused() {
        assertThatThrownBy(() -> ReplicationPlan.builder().copyRegulated("eu", "eu"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("plan.copyRegulated.targets must not contain the home region itself, but was eu");
    }

    @Test
    void copies_areKeptByHome_andToBuilderRoundTrips() {
        ReplicationPlan plan = ReplicationPlan.builder().regulated("users", "region").copyRegulated("eu", "de", "ch")
                .copyRegulated(Region.of("eu"), Region.of("de")).namePrefix("x").build();

        assertThat(plan.regulatedCopies()).containsExactly(java.util.Map.entry("eu", Set.of("de", "ch")));
        ReplicationPlan copy = plan.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(plan.toString());
    }

    @Test
    void rowFilter_quotesRegionIds() {
        assertThat(Ddl.rowFilter(new ReplicatedTable("users", DataClass.REGULATED, "home"), List.of(Region.of("eu"), Region.of("eu-de"))))
                .isEqualTo("(home IN ('eu', 'eu-de'))");
    }

    @Test
    void subscriptionDdl_forDisplay_hidesTheConnectionString() {
        PlannedSubscription s = new PlannedSubscription(Region.of("eu"), Region.of("us"), "rr_us_to_eu", List.of("rr_global"));

        assertThat(Ddl.createSubscription(s, Ddl.MASKED_CONNINFO)).isEqualTo("CREATE SUBSCRIPTION rr_us_to_eu CONNECTION"
                + " '<conninfo of the publisher, password masked>' PUBLICATION rr_global WITH (copy_data = true)");
        assertThat(Ddl.setSubscriptionPublications(s, false))
                .isEqualTo("ALTER SUBSCRIPTION rr_us_to_eu SET PUBLICATION rr_global WITH (refresh = false)");
    }
}
