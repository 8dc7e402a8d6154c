package io.regionrouter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.core.Region;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

class ReplicaSetSurvivabilityTest {

    static final Region US = Region.of("us");
    static final Region EU = Region.of("eu");
    static final Region AP = Region.of("ap");

    /**
     * The reference article's five-member set, shaped as {@code replSetGetConfig} returns it under
     * {@code config} (MongoDB 7: defaults spelled out, {@code secondaryDelaySecs} as a long,
     * {@code settings} with the replica set id), with region tags added.
     */
    static Document articleConfig() {
        return new Document("_id", "rs0").append("version", 1).append("term", 3L).append("protocolVersion", 1L)
                .append("writeConcernMajorityJournalDefault", true)
                .append("members", List.of(
                        member(0, "mongo-0.us-east.example.com:27017", 2, "us"),
                        member(1, "mongo-1.us-east.example.com:27017", 1, "us"),
                        member(2, "mongo-2.eu-west.example.com:27017", 1, "eu"),
                        member(3, "mongo-3.eu-west.example.com:27017", 0.5, "eu"),
                        member(4, "mongo-4.ap-south.example.com:27017", 0.5, "ap")))
                .append("settings", new Document("chainingAllowed", true).append("heartbeatIntervalMillis", 2000)
                        .append("heartbeatTimeoutSecs", 10).append("electionTimeoutMillis", 10000).append("catchUpTimeoutMillis", -1)
                        .append("getLastErrorModes", new Document()).append("replicaSetId", new ObjectId("64b7f0c2a1b2c3d4e5f60718")));
    }

    private static Document member(int id, String host, double priority, String region) {
        return new Document("_id", id).append("host", host).append("arbiterOnly", false).append("buildIndexes", true)
                .append("hidden", false).append("priority", priority).append("tags", new Document("region", region))
                .append("secondaryDelaySecs", 0L).append("votes", 1);
    }

    @Test
    void theArticlesSet_survivesAnyOneRegion_andNoPairOfRegions() {
        SurvivabilityReport report = ReplicaSetSurvivability.of(articleConfig()).report(true);

        // hand count: 5 votes, 3 needed; us holds 2, eu 2, ap 1
        assertThat(report.survivesAnySingleRegionLoss()).isTrue();
        assertThat(report.losses()).hasSize(6);
        RegionLoss us = report.losses().get(0);
        assertThat(us.lost()).containsExactly(US);
        assertThat(us.votesLeft()).isEqualTo(3);
        assertThat(us.votesNeeded()).isEqualTo(3);
        assertThat(us.primaryRegions()).containsExactly(EU);
        assertThat(report.losses().get(1).primaryRegions()).containsExactly(US);
        assertThat(report.losses().get(2).primaryRegions()).containsExactly(US);
        assertThat(report.losses().subList(3, 6)).allMatch(l -> !l.primaryElectable() && !l.majorityWritesAcknowledged());
        assertThat(report.toString()).isEqualTo("""
                lose us: 3 votes left, 3 needed, primary in eu, majority writes acknowledged
                lose eu: 3 votes left, 3 needed, primary in us, majority writes acknowledged
                lose ap: 4 votes left, 3 needed, primary in us, majority writes acknowledged
                lose eu + us: 1 vote left, 3 needed, no primary, no writes
                lose ap + us: 2 votes left, 3 needed, no primary, no writes
                lose ap + eu: 2 votes left, 3 needed, no primary, no writes""");
    }

    @Test
    void anArbiter_canElect_butCannotAcknowledgeMajorityWrites() {
        // primary + secondary in us, arbiter in eu: PSA across two regions
        Document psa = new Document("_id", "rs0").append("members", List.of(
                new Document("_id", 0).append("host", "a:1").append("priority", 2).append("tags", new Document("region", "us")),
                new Document("_id", 1).append("host", "b:1").append("tags", new Document("region", "ap")),
                new Document("_id", 2).append("host", "c:1").append("arbiterOnly", true).append("tags", new Document("region", "eu"))));

        RegionLoss ap = ReplicaSetSurvivability.of(psa).ifLost(Set.of(AP));
        // hand count: 3 votes, 2 needed; a and the arbiter elect a; calculated majority = min(2, 2 data voters) = 2, only a acknowledges
        assertThat(ap.primaryElectable()).isTrue();
        assertThat(ap.primaryRegions()).containsExactly(US);
        assertThat(ap.majorityWritesAcknowledged()).isFalse();
        RegionLoss eu = ReplicaSetSurvivability.of(psa).ifLost(Set.of(EU));
        assertThat(eu.majorityWritesAcknowledged()).isTrue();
    }

    @Test
    void aDelayedVoter_countsForElections_butNotForTimelyMajorityWrites() {
        Document config = new Document("_id", "rs0").append("members", List.of(
                new Document("_id", 0).append("host", "a:1").append("tags", new Document("region", "us")),
                new Document("_id", 1).append("host", "b:1").append("tags", new Document("region", "eu")),
                new Document("_id", 2).append("host", "c:1").append("priority", 0).append("hidden", true)
                        .append("secondaryDelaySecs", 3600L).append("tags", new Document("region", "ap"))));

        RegionLoss eu = ReplicaSetSurvivability.of(config).ifLost(Set.of(EU));
        assertThat(eu.primaryElectable()).isTrue();
        assertThat(eu.majorityWritesAcknowledged()).isFalse();
    }

    @Test
    void tiedPriorities_acrossRegions_areReportedAsATie() {
        Document config = articleConfig();
        config.getList("members", Document.class).get(0).put("priority", 1);
        // with mongo-0 at 1 like mongo-1 (us) and mongo-2 (eu), losing ap leaves a tie between us and eu
        assertThat(ReplicaSetSurvivability.of(config).ifLost(Set.of(AP)).primaryRegions()).containsExactlyInAnyOrder(US, EU);
    }

    @Test
    void aMemberWithoutARegionTag_isRefusedByName() {
        Document config = articleConfig();
        config.getList("members", Document.class).get(3).remove("tags");
        assertThatThrownBy(() -> ReplicaSetSurvivability.of(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config.members[host=\"mongo-3.eu-west.example.com:27017\"].tags.region must name the member's region,"
                        + " but was null");
    }

    @Test
    void thePlannedSet_isCheckedTheSameWay() {
        ReplicaSetPlan plan = ReplicaSetPlanTest.fiveMembers().build();
        assertThat(plan.survivability().report().toString())
                .isEqualTo(ReplicaSetSurvivability.of(plan.config()).report().toString());
        assertThat(plan.survivability().ifLost(Set.of(US)).primaryRegions()).containsExactly(EU);
    }
}
