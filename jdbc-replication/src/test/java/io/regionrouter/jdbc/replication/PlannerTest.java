package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.Topology;
import io.regionrouter.jdbc.replication.internal.Ddl;
import io.regionrouter.jdbc.replication.internal.Planner;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Region DE = Region.of("eu-de");

    static final Topology DEFAULT_RULES = Topology.builder().regions("us", "eu", "eu-de").primary("us").local("us").build();
    static final Topology EU_SHARES = DEFAULT_RULES.toBuilder().residency("eu", "eu-de").build();

    @Test
    void globalTables_arePublishedByPrimary_andSubscribedByEveryOtherRegion() {
        ReplicationSetup setup = Planner.plan(DEFAULT_RULES, ReplicationPlan.builder().global("products").global("app.prices").build());

        assertThat(setup.publications()).singleElement().satisfies(p -> {
            assertThat(p.region()).isEqualTo(US);
            assertThat(p.name()).isEqualTo("rr_global");
            assertThat(p.regulated()).isFalse();
            assertThat(Ddl.createPublication(p)).isEqualTo(
                    "CREATE PUBLICATION rr_global FOR TABLE products, app.prices WITH (publish_via_partition_root = true)");
        });
        assertThat(setup.subscriptions()).containsExactly(
                new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global")),
                new PlannedSubscription(DE, US, "rr_us_to_eu_de", List.of("rr_global")));
    }

    @Test
    void regulatedRows_stayHome_byDefault() {
        ReplicationSetup setup = Planner.plan(EU_SHARES, ReplicationPlan.builder().regulated("users", "region").build());

        assertThat(setup.publications()).isEmpty();
        assertThat(setup.subscriptions()).isEmpty();
    }

    @Test
    void regulatedRows_stayHome_whenRulesAllowNone_evenIfCopiesToAllowedRegionsAreAsked() {
        ReplicationSetup setup = Planner.plan(DEFAULT_RULES,
                ReplicationPlan.builder().regulated("users", "region").copyRegulatedToAllowedRegions().build());

        assertThat(setup.publications()).isEmpty();
        assertThat(setup.subscriptions()).isEmpty();
    }

    @Test
    void regulatedCopies_areRowFilteredToTheHomeRegion_andGoOnlyToAllowedRegions() {
        ReplicationSetup setup = Planner.plan(EU_SHARES, ReplicationPlan.builder().global("products")
                .regulated("users", "region").regulated("orders", "home").copyRegulatedToAllowedRegions().build());

        assertThat(setup.publicationsOf(EU)).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("rr_regulated_eu");
            assertThat(p.homeRegions()).containsExactly(EU);
            assertThat(Ddl.createPublication(p)).isEqualTo("CREATE PUBLICATION rr_regulated_eu FOR TABLE"
                    + " users WHERE (region IN ('eu')), orders WHERE (home IN ('eu')) WITH (publish_via_partition_root = true)");
        });
        assertThat(setup.subscriptionsOf(DE)).containsExactly(
                new PlannedSubscription(DE, US, "rr_us_to_eu_de", List.of("rr_global")),
                new PlannedSubscription(DE, EU, "rr_eu_to_eu_de", List.of("rr_regulated_eu")));
        assertThat(setup.subscriptionsOf(US)).isEmpty();
        assertThat(setup.subscriptionsOf(EU)).containsExactly(new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global")));
    }

    @Test
    void explicitCopy_toAllowedRegion_isPlanned() {
        ReplicationSetup setup = Planner.plan(EU_SHARES, ReplicationPlan.builder().regulated("users", "region")
                .copyRegulated("eu", "eu-de").build());

        assertThat(setup.subscriptions()).containsExactly(new PlannedSubscription(DE, EU, "rr_eu_to_eu_de", List.of("rr_regulated_eu")));
    }

    @Test
    void explicitCopy_toRegionTheRulesDoNotAllow_isRefused() {
        ReplicationPlan plan = ReplicationPlan.builder().regulated("users", "region").copyRegulated("eu", "us").build();

        assertThatThrownBy(() -> Planner.plan(EU_SHARES, plan)).isInstanceOf(ResidencyViolationException.class)
                .hasMessage("residency violation: region us is not allowed for data homed in eu");
    }

    @Test
    void oneWayCopy_intoARegionThatTakesTheHomesWrites_isRefused_soPlanAndRouterAgree() {
        Topology euWritesInDe = EU_SHARES.toBuilder().multiWriter("eu", "eu-de").build();
        ReplicationPlan copyToDe = ReplicationPlan.builder().regulated("users", "region").copyRegulated("eu", "eu-de").build();
        ReplicationPlan copyToAllowed = ReplicationPlan.builder().regulated("users", "region")
                .copyRegulatedToAllowedRegions().build();

        assertThatThrownBy(() -> Planner.plan(euWritesInDe, copyToDe)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("plan.copyRegulated[eu] must not copy rows one way into eu-de")
                .hasMessageContaining("topology.multiWriter[eu]");
        assertThatThrownBy(() -> Planner.plan(euWritesInDe, copyToAllowed)).isInstanceOf(InvalidConfigurationException.class);
        assertThat(Planner.plan(EU_SHARES, copyToDe).subscriptions()).hasSize(1);
    }

    @Test
    void explicitCopy_toUnknownRegion_isRefusedWithFieldName() {
        ReplicationPlan plan = ReplicationPlan.builder().regulated("users", "region").copyRegulated("eu", "ap").build();

        assertThatThrownBy(() -> Planner.plan(EU_SHARES, plan)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("plan.copyRegulated.targets must name a region of the topology [us, eu, eu-de], but was ap");
    }

    @Test
    void tooLongNames_areRefused() {
        Topology longIds = Topology.builder().regions("region-with-a-very-long-id-0001", "region-with-a-very-long-id-0002")
                .primary("region-with-a-very-long-id-0001").local("region-with-a-very-long-id-0001").build();

        assertThatThrownBy(() -> Planner.plan(longIds, ReplicationPlan.builder().global("t").namePrefix("replication_x").build()))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("must be at most 63 characters");
    }

    @Test
    void namePrefix_isUsedForEveryObject() {
        ReplicationSetup setup = Planner.plan(DEFAULT_RULES, ReplicationPlan.builder().global("t").namePrefix("app1").build());

        assertThat(setup.namePrefix()).isEqualTo("app1");
        assertThat(setup.publications()).extracting(PlannedPublication::name).containsExactly("app1_global");
        assertThat(setup.subscriptions()).extracting(PlannedSubscription::name).containsExactly("app1_us_to_eu", "app1_us_to_eu_de");
    }
    @Test
    void activeActiveTables_arePublishedEverywhere_andSubscribedBothWays_withOriginNone() {
        ReplicationSetup setup = Planner.plan(DEFAULT_RULES, ReplicationPlan.builder().global("products")
                .activeActive("settings", "updated_at").build());

        assertThat(setup.publications()).extracting(PlannedPublication::name)
                .containsExactly("rr_global", "rr_active_us", "rr_active_eu", "rr_active_eu_de");
        assertThat(setup.subscriptionsOf(EU)).containsExactly(
                new PlannedSubscription(EU, US, "rr_us_to_eu", List.of("rr_global")),
                new PlannedSubscription(EU, US, "rr_aa_us_to_eu", List.of("rr_active_us"), true, true),
                new PlannedSubscription(EU, DE, "rr_aa_eu_de_to_eu", List.of("rr_active_eu_de"), false, true));
        assertThat(setup.activeActiveTables()).containsExactly(new ActiveActiveTable("settings", "updated_at"));
        assertThat(Ddl.createSubscription(setup.subscription("rr_aa_eu_de_to_eu").orElseThrow(), Ddl.MASKED_CONNINFO))
                .endsWith("PUBLICATION rr_active_eu_de WITH (copy_data = false, origin = none)");
        assertThat(Ddl.lastWriteWinsTrigger("rr", "settings", "updated_at")).containsExactly(
                "CREATE OR REPLACE TRIGGER rr_last_write_wins BEFORE INSERT OR UPDATE ON settings FOR EACH ROW"
                        + " EXECUTE FUNCTION rr_last_write_wins('updated_at')",
                "ALTER TABLE settings ENABLE ALWAYS TRIGGER rr_last_write_wins");
    }

    @Test
    void activeActiveTable_cannotAlsoBeGlobal() {
        assertThatThrownBy(() -> ReplicationPlan.builder().global("settings").activeActive("settings", "updated_at"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("plan.table must be declared once, but settings was declared twice");
    }
}
