package io.regionrouter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplicaSetPlanTest {

    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").primary("us").local("us")
            .proximity("us", "eu", "ap").proximity("eu", "us", "ap").proximity("ap", "us", "eu")
            .residency("eu", "eu").build();
    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Region AP = Region.of("ap");

    static ReplicaSetPlan.Builder fiveMembers() {
        return ReplicaSetPlan.builder(TOPOLOGY).name("rs0")
                .member("us", "mongo-0.us:27017").member("us", "mongo-1.us:27017")
                .member("eu", "mongo-2.eu:27017").member("eu", "mongo-3.eu:27017")
                .member("ap", "mongo-4.ap:27017").globalDataOnly();
    }

    @Test
    void priorities_putThePrimaryInThePrimaryRegion_andOrderTheOthersByProximity_withoutTies() {
        Document config = fiveMembers().build().config();

        assertThat(config.getString("_id")).isEqualTo("rs0");
        assertThat(config.getInteger("version")).isEqualTo(1);
        List<Document> members = config.getList("members", Document.class);
        assertThat(members).extracting(m -> m.getInteger("_id")).containsExactly(0, 1, 2, 3, 4);
        assertThat(members).extracting(m -> m.getInteger("priority")).containsExactly(6, 5, 4, 3, 2);
        assertThat(members).extracting(m -> m.getInteger("votes")).containsExactly(1, 1, 1, 1, 1);
        assertThat(members).extracting(m -> m.get("tags", Document.class).getString("region"))
                .containsExactly("us", "us", "eu", "eu", "ap");
    }

    @Test
    void proximity_decidesTheOrderOfTheOtherRegions() {
        Topology apFirst = TOPOLOGY.toBuilder().proximity("us", "ap", "eu").build();
        Document config = ReplicaSetPlan.builder(apFirst).name("rs0").member("eu", "e:1").member("ap", "a:1").member("us", "u:1")
                .globalDataOnly().build().config();

        assertThat(config.getList("members", Document.class)).extracting(m -> m.getInteger("priority")).containsExactly(1, 2, 3);
    }

    @Test
    void atMostSevenVote_spreadOverRegions_andTheOthersHavePriorityZero() {
        ReplicaSetPlan.Builder b = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").globalDataOnly();
        for (int i = 0; i < 5; i++) {
            b.member("us", "us-" + i + ":27017");
        }
        for (int i = 0; i < 3; i++) {
            b.member("eu", "eu-" + i + ":27017");
        }
        b.member("ap", "ap-0:27017");
        List<Document> members = b.build().config().getList("members", Document.class);

        assertThat(members.stream().mapToInt(m -> m.getInteger("votes")).sum()).isEqualTo(ReplicaSetPlan.MAX_VOTERS);
        // round robin from the primary region: us, eu, ap, us, eu, us, eu
        assertThat(members).extracting(m -> m.getInteger("votes")).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1);
        assertThat(members).filteredOn(m -> m.getInteger("votes") == 0).allMatch(m -> m.getInteger("priority") == 0);
    }

    @Test
    void hiddenAndDelayedMembers_neverBecomePrimary_andDelayedOnesDoNotVote() {
        List<Document> members = fiveMembers().hiddenMember("eu", "backup.eu:27017")
                .delayedMember("us", "delayed.us:27017", Duration.ofHours(1)).nonVotingMember("ap", "reader.ap:27017")
                .acceptMajorityWriteLoss().build().config().getList("members", Document.class);

        Document hidden = members.get(5);
        assertThat(hidden.getBoolean("hidden")).isTrue();
        assertThat(hidden.getInteger("priority")).isZero();
        assertThat(hidden.getInteger("votes")).isEqualTo(1);
        Document delayed = members.get(6);
        assertThat(delayed.getBoolean("hidden")).isTrue();
        assertThat(delayed.getLong("secondaryDelaySecs")).isEqualTo(3600L);
        assertThat(delayed.getInteger("priority")).isZero();
        assertThat(delayed.getInteger("votes")).isZero();
        Document reader = members.get(7);
        assertThat(reader.getInteger("votes")).isZero();
        assertThat(reader.getInteger("priority")).isZero();
        assertThat(reader.containsKey("hidden")).isFalse();
    }

    static List<Arguments> badInput() {
        return List.of(
                Arguments.of("unknown region", (UnaryOperator<ReplicaSetPlan.Builder>) b -> b.member("mars", "m:1"),
                        "replicaSet.members[5].region must be one of the topology's regions [us, eu, ap], but was \"mars\""),
                Arguments.of("duplicate host", (UnaryOperator<ReplicaSetPlan.Builder>) b -> b.member("ap", "MONGO-0.us:27017"),
                        "replicaSet.members[5].host must be unique in the set, but \"MONGO-0.us:27017\" is already a member"),
                Arguments.of("no port", (UnaryOperator<ReplicaSetPlan.Builder>) b -> b.member("ap", "mongo-9.ap"),
                        "replicaSet.members[5].host must be host:port with a port in 1..65535, but was \"mongo-9.ap\""),
                Arguments.of("port out of range", (UnaryOperator<ReplicaSetPlan.Builder>) b -> b.member("ap", "h:70000"),
                        "replicaSet.members[5].host must be host:port with a port in 1..65535, but was \"h:70000\""),
                Arguments.of("bad name", (UnaryOperator<ReplicaSetPlan.Builder>) b -> b.name("rs/0"),
                        "replicaSet.name must be 1..64 of [A-Za-z0-9_.-], but was \"rs/0\""),
                Arguments.of("delay too short", (UnaryOperator<ReplicaSetPlan.Builder>) b -> b.delayedMember("ap", "d:1", Duration.ZERO),
                        "replicaSet.members[d:1].delay must be in 1s..365d, but was PT0S"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInput_isRefusedNamingTheFieldAndTheValue(String what, UnaryOperator<ReplicaSetPlan.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(fiveMembers()).build()).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(message);
    }

    @Test
    void zeroVoters_noDataDeclaration_andNoName_areRefused() {
        assertThatThrownBy(() -> ReplicaSetPlan.builder(TOPOLOGY).name("rs0").nonVotingMember("us", "a:1").globalDataOnly()
                .acceptMajorityWriteLoss().build())
                .hasMessage("replicaSet.members must include at least one voting member, but every member is delayed or non-voting");
        assertThatThrownBy(() -> ReplicaSetPlan.builder(TOPOLOGY).name("rs0").hiddenMember("us", "a:1").globalDataOnly()
                .acceptMajorityWriteLoss().build())
                .hasMessageStartingWith("replicaSet.members must include at least one member that may become primary");
        assertThatThrownBy(() -> ReplicaSetPlan.builder(TOPOLOGY).name("rs0").member("us", "a:1").build())
                .hasMessage("replicaSet must declare what it holds: regulatedDataOf(homes...) or globalDataOnly(), but declared neither");
        assertThatThrownBy(() -> ReplicaSetPlan.builder(TOPOLOGY).member("us", "a:1").globalDataOnly().build())
                .hasMessage("replicaSet.name must be set, but was null");
        assertThatThrownBy(() -> ReplicaSetPlan.builder(TOPOLOGY).name("rs0").globalDataOnly().build())
                .hasMessage("replicaSet.members must list at least one member, but was empty");
    }

    @Test
    void regulatedData_refusesAMemberInARegionTheHomeDoesNotAllow() {
        // eu's regulated data may live in eu only
        assertThatThrownBy(() -> ReplicaSetPlan.builder(TOPOLOGY).name("rs0").member("eu", "e0:1").member("eu", "e1:1")
                .member("us", "u0:1").regulatedDataOf("eu").build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("replicaSet.members[2] (\"u0:1\") is in us, which may not hold REGULATED data homed in eu (allowed: [eu])");

        ReplicaSetPlan euOnly = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").member("eu", "e0:1").member("eu", "e1:1")
                .member("eu", "e2:1").regulatedDataOf("eu").acceptMajorityWriteLoss().build();
        assertThat(euOnly.members()).hasSize(3);
    }

    @Test
    void aPlanThatLosesMajorityWritesWithOneRegion_failsAtBuild_unlessAccepted() {
        ReplicaSetPlan.Builder twoRegions = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").member("us", "u0:1").member("us", "u1:1")
                .member("eu", "e0:1").globalDataOnly();

        assertThatThrownBy(twoRegions::build).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("replicaSet.members must keep w:majority writes working when any one region is lost, but: "
                        + "[lose us: 1 vote left, 2 needed, no primary, no writes]");
        assertThat(twoRegions.acceptMajorityWriteLoss().build().survivability().report().survivesAnySingleRegionLoss()).isFalse();
    }

    @Test
    void commands_isOneReplSetInitiate_ofTheConfig() {
        ReplicaSetPlan plan = fiveMembers().build();
        assertThat(plan.commands()).containsExactly(new Document("replSetInitiate", plan.config()));
    }

    @Test
    void dryRun_onASetNotYetInitiated_initiates_andApplyRunsIt() {
        FakeAdmin admin = new FakeAdmin(null);
        ReplicaSetPlan plan = fiveMembers().build();

        assertThat(plan.dryRun(admin).commands()).isEqualTo(plan.commands());
        assertThat(admin.ran).isEmpty();
        ReplicaSetChange applied = plan.apply(admin);
        assertThat(applied.dryRun()).isFalse();
        assertThat(admin.ran).isEqualTo(plan.commands());
        assertThat(plan.dryRun(admin).upToDate()).isTrue();
    }

    @Test
    void dryRun_ofTheArticlesSet_onlyRetagsAndReprioritises_inOneReconfig() {
        FakeAdmin admin = new FakeAdmin(ReplicaSetSurvivabilityTest.articleConfig());
        ReplicaSetChange change = ReplicaSetPlan.builder(TOPOLOGY).name("rs0")
                .member("us", "mongo-0.us-east.example.com:27017").member("us", "mongo-1.us-east.example.com:27017")
                .member("eu", "mongo-2.eu-west.example.com:27017").member("eu", "mongo-3.eu-west.example.com:27017")
                .member("ap", "mongo-4.ap-south.example.com:27017").globalDataOnly().build().dryRun(admin);

        assertThat(change.commands()).hasSize(1);
        Document config = change.commands().get(0).get("replSetReconfig", Document.class);
        assertThat(config.getInteger("version")).isEqualTo(2);
        assertThat(config.get("settings")).isEqualTo(ReplicaSetSurvivabilityTest.articleConfig().get("settings"));
        assertThat(config.getList("members", Document.class)).extracting(m -> m.get("priority")).containsExactly(6, 5, 4, 3, 2);
        assertThat(admin.ran).isEmpty();
    }

    @Test
    void dryRun_ofTheSamePlan_isUpToDate() {
        ReplicaSetPlan plan = fiveMembers().build();
        assertThat(plan.dryRun(new FakeAdmin(plan.config())).upToDate()).isTrue();
    }

    @Test
    void everyReconfig_changesAtMostOneVote_andRaisesTheVersionByOne() {
        ReplicaSetPlan five = fiveMembers().build();
        ReplicaSetPlan seven = fiveMembers().member("ap", "mongo-5.ap:27017").member("eu", "mongo-6.eu:27017").build();
        ReplicaSetPlan swapped = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").member("us", "new-0.us:27017")
                .member("eu", "new-1.eu:27017").member("ap", "new-2.ap:27017").globalDataOnly().build();
        ReplicaSetPlan readers = fiveMembers().nonVotingMember("ap", "reader.ap:27017").build();
        ReplicaSetPlan nine = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").globalDataOnly()
                .member("us", "x0:1").member("us", "x1:1").member("us", "x2:1").member("eu", "y0:1").member("eu", "y1:1")
                .member("eu", "y2:1").member("ap", "z0:1").member("ap", "z1:1").member("ap", "z2:1").build();
        // the same nine hosts, but y2 and z2 vote instead of y0 and z0
        ReplicaSetPlan nineOtherVoters = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").globalDataOnly()
                .member("us", "x0:1").member("us", "x1:1").member("us", "x2:1").member("eu", "y2:1").member("eu", "y1:1")
                .member("eu", "y0:1").member("ap", "z2:1").member("ap", "z1:1").member("ap", "z0:1").build();
        List<ReplicaSetPlan> plans = List.of(five, seven, swapped, readers, nine, nineOtherVoters);

        for (ReplicaSetPlan from : plans) {
            for (ReplicaSetPlan to : plans) {
                FakeAdmin admin = new FakeAdmin(from.config());
                ReplicaSetChange change = to.apply(admin);
                Document previous = from.config();
                for (Document command : change.commands()) {
                    Document next = command.get("replSetReconfig", Document.class);
                    assertThat(next.getInteger("version")).isEqualTo(previous.getInteger("version") + 1);
                    assertThat(symmetricDifference(voters(previous), voters(next))).as("%s -> %s", from, to).isLessThanOrEqualTo(1);
                    assertThat(voters(next).size()).isBetween(1, ReplicaSetPlan.MAX_VOTERS);
                    assertThat(next.getList("members", Document.class)).as("an electable member in every step")
                            .anyMatch(m -> m.getInteger("votes", 1) > 0 && ((Number) m.get("priority")).doubleValue() > 0);
                    previous = next;
                }
                assertThat(to.dryRun(admin).upToDate()).as("%s -> %s then again", from, to).isTrue();
                assertThat(members(admin.config)).isEqualTo(members(to.config()));
            }
        }
    }

    @Test
    void removingAVoter_firstMovesThePrimaryAway_thenRemovesIt() {
        ReplicaSetPlan withoutUs0 = ReplicaSetPlan.builder(TOPOLOGY).name("rs0").member("us", "mongo-1.us:27017")
                .member("eu", "mongo-2.eu:27017").member("eu", "mongo-3.eu:27017").member("ap", "mongo-4.ap:27017")
                .globalDataOnly().acceptMajorityWriteLoss().build();
        List<Document> commands = withoutUs0.dryRun(new FakeAdmin(fiveMembers().build().config())).commands();

        assertThat(commands).hasSize(2);
        Document first = commands.get(0).get("replSetReconfig", Document.class);
        assertThat(first.getList("members", Document.class).get(0)).containsEntry("host", "mongo-0.us:27017").containsEntry("priority", 0);
        Document second = commands.get(1).get("replSetReconfig", Document.class);
        assertThat(second.getList("members", Document.class)).extracting(m -> m.getString("host")).doesNotContain("mongo-0.us:27017");
        assertThat(second.getList("members", Document.class)).extracting(m -> m.getInteger("_id")).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aSetWithAnotherName_isRefused() {
        Document other = fiveMembers().name("rs1").build().config();
        assertThatThrownBy(() -> fiveMembers().build().dryRun(new FakeAdmin(other)))
                .isInstanceOf(IllegalStateException.class).hasMessage("the replica set is named \"rs1\", but the plan is for \"rs0\"");
    }

    @Test
    void anArbiter_cannotBecomeADataMemberInPlace() {
        Document config = fiveMembers().build().config();
        config.getList("members", Document.class).get(4).append("arbiterOnly", true).append("priority", 0);
        assertThatThrownBy(() -> fiveMembers().build().dryRun(new FakeAdmin(config)))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("member mongo-4.ap:27017 is an arbiter in the set");
    }

    private static Set<String> voters(Document config) {
        Set<String> voters = new HashSet<>();
        for (Document m : config.getList("members", Document.class)) {
            if (m.getInteger("votes", 1) > 0) {
                voters.add(m.getString("host"));
            }
        }
        return voters;
    }

    private static int symmetricDifference(Set<String> a, Set<String> b) {
        Set<String> onlyA = new HashSet<>(a);
        onlyA.removeAll(b);
        Set<String> onlyB = new HashSet<>(b);
        onlyB.removeAll(a);
        return onlyA.size() + onlyB.size();
    }

    /** Members without their ids, by host, for comparing a reached configuration with a planned one. */
    private static Set<Document> members(Document config) {
        Set<Document> out = new HashSet<>();
        for (Document m : config.getList("members", Document.class)) {
            Document copy = new Document(m);
            copy.remove("_id");
            out.add(copy);
        }
        return out;
    }

    /** A replica set in memory: replies with its config, and takes replSetInitiate and replSetReconfig. */
    static final class FakeAdmin implements ReplicaSetAdmin {
        Document config;
        final List<Document> ran = new ArrayList<>();

        FakeAdmin(Document config) {
            this.config = config;
        }

        @Override
        public Optional<Document> currentConfig() {
            return Optional.ofNullable(config);
        }

        @Override
        public Document runAdminCommand(Document command) {
            ran.add(command);
            if (command.containsKey("replSetInitiate")) {
                config = command.get("replSetInitiate", Document.class);
            } else {
                Document next = command.get("replSetReconfig", Document.class);
                if (next.getInteger("version") != config.getInteger("version") + 1) {
                    throw new IllegalStateException("version must be " + (config.getInteger("version") + 1));
                }
                config = next;
            }
            return new Document("ok", 1);
        }
    }
}
