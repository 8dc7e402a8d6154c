package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidencySchemaTest {

    private static final Region EU = Region.of("eu");

    private final Topology topology = Topology.builder().regions("us", "eu", "ap").local("us").primary("us").build();

    private ResidencySchema.Builder orders(Topology t) {
        return ResidencySchema.builder(t).table("orders").column("id", "bigint NOT NULL")
                .column("user_id", "text NOT NULL").column("amount", "numeric(12, 2)").primaryKey("id").appRole("app");
    }

    @Test
    void statements_partitionTheTableByListOfRegion() {
        List<String> ddl = orders(topology).build().statements(EU);
        assertThat(ddl.get(0)).startsWith("CREATE TABLE IF NOT EXISTS orders (")
                .contains("id bigint NOT NULL", "user_id text NOT NULL", "amount numeric(12, 2)", "region text NOT NULL",
                        "PRIMARY KEY (id, region)")
                .endsWith(") PARTITION BY LIST (region)");
        assertThat(ddl).contains(
                "CREATE TABLE IF NOT EXISTS orders_us PARTITION OF orders (CONSTRAINT orders_us_region_check CHECK (region = 'us')) FOR VALUES IN ('us')",
                "CREATE TABLE IF NOT EXISTS orders_eu PARTITION OF orders (CONSTRAINT orders_eu_region_check CHECK (region = 'eu')) FOR VALUES IN ('eu')",
                "CREATE TABLE IF NOT EXISTS orders_ap PARTITION OF orders (CONSTRAINT orders_ap_region_check CHECK (region = 'ap')) FOR VALUES IN ('ap')");
    }

    @Test
    void statements_forceRowLevelSecurityWithAConstantRulePerDatabase_thatNoSessionSettingChanges() {
        List<String> ddl = orders(topology).build().statements(EU);
        assertThat(ddl).contains("ALTER TABLE orders ENABLE ROW LEVEL SECURITY", "ALTER TABLE orders FORCE ROW LEVEL SECURITY",
                "DROP POLICY IF EXISTS orders_residency ON orders",
                "CREATE POLICY orders_residency ON orders USING (region IN ('eu')) WITH CHECK (region IN ('eu'))");
        assertThat(String.join("\n", ddl)).doesNotContain("current_setting");
    }

    @Test
    void statements_grantTheParentToTheAppRoleAndRevokeThePartitions() {
        List<String> ddl = orders(topology).build().statements(EU);
        assertThat(ddl).contains("GRANT SELECT, INSERT, UPDATE, DELETE ON orders TO app", "REVOKE ALL ON orders_eu FROM app");
        assertThat(ddl.indexOf("GRANT SELECT, INSERT, UPDATE, DELETE ON orders TO app"))
                .isGreaterThan(ddl.indexOf("ALTER TABLE orders FORCE ROW LEVEL SECURITY"));
    }

    @Test
    void policy_admitsRegionsAllowedByResidencyRules() {
        Topology withEuWest = Topology.builder().regions("us", "eu", "eu-west").local("us").primary("us")
                .residency("eu", "eu-west").build();
        ResidencySchema schema = orders(withEuWest).build();
        assertThat(schema.policyPredicate(Region.of("eu-west"))).isEqualTo("region IN ('eu', 'eu-west')");
        assertThat(schema.policyPredicate(Region.of("eu"))).isEqualTo("region IN ('eu')");
        assertThat(schema.policyPredicate(Region.of("us"))).isEqualTo("region IN ('us')");
        assertThat(schema.statements(EU)).anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS orders_eu_west PARTITION OF orders"));
    }

    @Test
    void customRegionColumn_isUsedEverywhere() {
        String script = orders(topology).regionColumn("home_region").build().script(EU);
        assertThat(script).contains("home_region IN ('eu')").contains("PARTITION BY LIST (home_region)")
                .contains("CHECK (home_region = 'eu')").endsWith(";\n");
    }

    @Test
    void schemaQualifiedTable_keepsPartitionsInTheSameSchema() {
        List<String> ddl = ResidencySchema.builder(topology).table("sales.orders").column("id", "bigint").build().statements(EU);
        assertThat(ddl).anyMatch(s -> s.startsWith("CREATE TABLE IF NOT EXISTS sales.orders_eu PARTITION OF sales.orders"));
        assertThat(ddl).noneMatch(s -> s.startsWith("GRANT"));
    }

    @Test
    void build_rejectsMissingTableColumnsAndDeclaredRegionColumn() {
        assertThatThrownBy(() -> ResidencySchema.builder(topology).column("id", "bigint").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessage("table must be set, but was null");
        assertThatThrownBy(() -> ResidencySchema.builder(topology).table("t").build())
                .hasMessageStartingWith("column must be declared");
        assertThatThrownBy(() -> ResidencySchema.builder(topology).table("t").column("region", "text").build())
                .hasMessageContaining("region column");
        assertThatThrownBy(() -> ResidencySchema.builder(topology).table("t").column("id", "bigint").primaryKey("nope").build())
                .hasMessageStartingWith("primaryKey must name declared columns");
    }

    @Test
    void builder_rejectsUnsafeNames() {
        assertThatThrownBy(() -> ResidencySchema.builder(topology).table("Orders")).hasMessageStartingWith("table must");
        assertThatThrownBy(() -> ResidencySchema.builder(topology).appRole("app; DROP ROLE x")).hasMessageStartingWith("appRole must");
        assertThatThrownBy(() -> ResidencySchema.builder(topology).appRole("public"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("not public");
        assertThatThrownBy(() -> ResidencySchema.builder(topology).column("id", "text, region2 text DEFAULT current_user"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("column.id must be one type");
        assertThatCode(() -> ResidencySchema.builder(topology).column("amount", "numeric(12, 2)")).doesNotThrowAnyException();
        assertThatThrownBy(() -> ResidencySchema.builder(topology).column("id", "bigint); DROP TABLE x; --"))
                .hasMessageStartingWith("column.id must");
    }
}
