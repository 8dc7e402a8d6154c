package io.regionrouter.mongo;

import com.mongodb.MongoClientSettings;
import io.regionrouter.core.InvalidConfigurationException;
import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;
import io.regionrouter.core.Topology;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.codecs.configuration.CodecRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResidencyGuardTest {

    private static final Region US = Region.of("us");
    private static final Region EU = Region.of("eu");
    private static final CodecRegistry CODECS = MongoClientSettings.getDefaultCodecRegistry();

    // eu data may also be stored in us (a read-only copy); us data only in us
    private static final Topology TOPOLOGY = Topology.builder().regions("us", "eu").local("us").primary("us")
            .residency("eu", "us").build();
    // the same, but eu data is replicated both ways, so us may also take its writes
    private static final Topology MULTI_WRITER = TOPOLOGY.toBuilder().multiWriter("eu", "us").build();

    /** A record encoded by the driver's record codec (a "POJO" the guard must read through the codec). */
    public record Order(String id, String region, int total) {
    }

    @Test
    void check_acceptsDocumentOfTheTargetRegion() {
        assertThatCode(() -> ResidencyGuard.of(TOPOLOGY, EU).check(new Document("region", "eu"), CODECS))
                .doesNotThrowAnyException();
    }

    @Test
    void check_acceptsDocumentWhoseHomeMayBeWrittenInTheTarget() {
        assertThatCode(() -> ResidencyGuard.of(MULTI_WRITER, US).check(new Document("region", "eu"), CODECS))
                .doesNotThrowAnyException();
    }

    @Test
    void check_rejectsWritingIntoARegionThatOnlyHoldsAReadOnlyCopy() {
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, US).check(new Document("region", "eu"), CODECS))
                .isInstanceOf(DocumentResidencyException.class)
                .hasMessage("residency guard for the us cluster rejected a document: data homed in eu may only be "
                        + "written in [eu]; us holds a read-only copy (declare Topology.Builder.multiWriter for data"
                        + " replicated both ways)")
                .satisfies(e -> {
                    DocumentResidencyException d = (DocumentResidencyException) e;
                    assertThat(d.home()).isEqualTo(EU);
                    assertThat(d.target()).isEqualTo(US);
                });
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, US).checkUpdate(
                com.mongodb.client.model.Updates.set("region", "eu"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("read-only copy");
    }

    @Test
    void check_rejectsDocumentWhoseHomeDoesNotAllowTheTarget() {
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, EU).check(new Document("region", "us"), CODECS))
                .isInstanceOf(ResidencyViolationException.class)
                .isInstanceOf(DocumentResidencyException.class)
                .hasMessage("residency guard for the eu cluster rejected a document: data homed in us may only be "
                        + "stored in [us], not in eu")
                .satisfies(e -> {
                    DocumentResidencyException d = (DocumentResidencyException) e;
                    assertThat(d.home()).isEqualTo(US);
                    assertThat(d.target()).isEqualTo(EU);
                });
    }

    @Test
    void check_rejectsMissingNullUndeclaredAndNonStringRegion() {
        ResidencyGuard guard = ResidencyGuard.of(TOPOLOGY, EU);
        assertThatThrownBy(() -> guard.check(new Document("name", "x"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("\"region\" is missing or null");
        assertThatThrownBy(() -> guard.check(new Document("region", null), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("missing or null");
        assertThatThrownBy(() -> guard.check(new Document("region", "mars"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("but was \"mars\"");
        assertThatThrownBy(() -> guard.check(new Document("region", 7), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("but was a Integer");
        assertThatThrownBy(() -> guard.check(null, CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("null");
    }

    @Test
    void check_readsBsonDocumentsMapsAndRecords() {
        ResidencyGuard guard = ResidencyGuard.of(TOPOLOGY, EU);
        assertThatCode(() -> guard.check(new BsonDocument("region", new BsonString("eu")), CODECS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(new BsonDocument("region", new BsonInt32(1)), CODECS))
                .isInstanceOf(DocumentResidencyException.class);
        assertThatCode(() -> guard.check(Map.of("region", "eu"), CODECS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(Map.of("region", "us"), CODECS)).isInstanceOf(DocumentResidencyException.class);
        assertThatCode(() -> guard.check(new Order("o1", "eu", 3), CODECS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(new Order("o1", "us", 3), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("data homed in us");
        assertThatThrownBy(() -> guard.check(new Order("o1", null, 3), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("missing or null");
    }

    @Test
    void checkUpdate_rejectsSettingDisallowedRegionAndRemovingIt_acceptsOtherUpdates() {
        ResidencyGuard guard = ResidencyGuard.of(TOPOLOGY, EU);
        assertThatCode(() -> guard.checkUpdate(com.mongodb.client.model.Updates.set("name", "x"), CODECS))
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.checkUpdate(com.mongodb.client.model.Updates.set("region", "eu"), CODECS))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.checkUpdate(com.mongodb.client.model.Updates.set("region", "us"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("data homed in us");
        assertThatThrownBy(() -> guard.checkUpdate(com.mongodb.client.model.Updates.setOnInsert("region", "mars"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("\"mars\"");
        assertThatThrownBy(() -> guard.checkUpdate(com.mongodb.client.model.Updates.unset("region"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("($unset of \"region\")");
        assertThatThrownBy(() -> guard.checkUpdate(new Document("$rename", new Document("region", "old")), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("($rename of \"region\")");
        assertThatThrownBy(() -> guard.checkUpdate(com.mongodb.client.model.Updates.max("region", "us"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("($max of \"region\")");
    }

    @Test
    void check_rejectsARegionFieldWrittenTwice_inRawBsonOrByACodec() {
        ResidencyGuard guard = ResidencyGuard.of(TOPOLOGY, EU);
        org.bson.io.BasicOutputBuffer buffer = new org.bson.io.BasicOutputBuffer();
        try (org.bson.BsonBinaryWriter w = new org.bson.BsonBinaryWriter(buffer)) {
            w.writeStartDocument();
            w.writeString("region", "eu");
            w.writeString("region", "us");
            w.writeEndDocument();
        }
        org.bson.RawBsonDocument twice = new org.bson.RawBsonDocument(buffer.toByteArray());
        assertThat(twice.get("region")).as("what a lookup sees").isEqualTo(new BsonString("eu"));

        assertThatThrownBy(() -> guard.check(twice, CODECS))
                .isInstanceOf(DocumentResidencyException.class)
                .hasMessage("residency guard for the eu cluster rejected a document: its field \"region\" appears 2 times;"
                        + " the server would keep both");
        assertThatCode(() -> guard.check(org.bson.RawBsonDocument.parse("{region: 'eu'}"), CODECS)).doesNotThrowAnyException();
    }

    @Test
    void publicChecks_nameTheOperationAndTheOperator() {
        ResidencyGuard guard = ResidencyGuard.of(TOPOLOGY, EU);
        assertThatThrownBy(() -> guard.checkUpdate(new Document("name", "x"), com.mongodb.client.model.Updates.set("total", 1),
                true, CODECS)).isInstanceOf(DocumentResidencyException.class)
                .hasMessageStartingWith("residency guard for the eu cluster rejected update (upsert): neither the filter")
                .satisfies(e -> assertThat(((DocumentResidencyException) e).operation()).isEqualTo("update (upsert)"));
        assertThatThrownBy(() -> guard.checkUpdate(null, java.util.List.of(com.mongodb.client.model.Aggregates.unset("region")),
                false, CODECS)).hasMessageContaining("update (pipeline stage 0, $unset)");
        assertThatThrownBy(() -> guard.checkAggregate(java.util.List.of(com.mongodb.client.model.Aggregates.out("x")), CODECS))
                .hasMessageContaining("aggregate ($out)");
        assertThatThrownBy(() -> guard.checkCommand(new Document("applyOps", java.util.List.of()), CODECS))
                .isInstanceOf(DocumentResidencyException.class)
                .satisfies(e -> {
                    DocumentResidencyException d = (DocumentResidencyException) e;
                    assertThat(d.operation()).isEqualTo("runCommand applyOps");
                    assertThat(d.home()).isNull();
                    assertThat(d.target()).isEqualTo(EU);
                    assertThat(d.field()).isEqualTo("region");
                });
        assertThat(guard.checkCommand(new Document("insert", "p").append("documents",
                java.util.List.of(new Document("region", "eu"))), CODECS)).isTrue();
        assertThat(guard.checkCommand(new Document("find", "p"), CODECS)).isFalse();
    }

    @Test
    void customField_isTheOneChecked() {
        ResidencyGuard guard = ResidencyGuard.of(TOPOLOGY, EU, "home");
        assertThatCode(() -> guard.check(new Document("home", "eu").append("region", "us"), CODECS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(new Document("region", "eu"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("\"home\" is missing");
        assertThatThrownBy(() -> guard.checkUpdate(com.mongodb.client.model.Updates.max("home", "us"), CODECS))
                .isInstanceOf(DocumentResidencyException.class).hasMessageContaining("($max of \"home\")");
        assertThatCode(() -> guard.checkUpdate(com.mongodb.client.model.Updates.max("region", "us"), CODECS))
                .doesNotThrowAnyException();
    }

    @Test
    void of_rejectsUnknownTargetAndBlankField() {
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, Region.of("ap")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("guard.target").hasMessageContaining("ap");
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, EU, " "))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("guard.regionField");
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, EU, "meta.region"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("guard.regionField must be a top-level field name (no '.', not starting with '$'), but was"
                        + " \"meta.region\"");
        assertThatThrownBy(() -> ResidencyGuard.of(TOPOLOGY, EU, "$region"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("guard.regionField");
    }
}
