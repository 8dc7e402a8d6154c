package io.regionrouter.mongo.internal;

import com.mongodb.MongoClientSettings;
import io.regionrouter.core.Region;
import io.regionrouter.core.Topology;
import io.regionrouter.mongo.DocumentResidencyException;
import io.regionrouter.mongo.ResidencyGuard;
import org.assertj.core.api.ThrowableAssert;
import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.io.BasicOutputBuffer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the inspectors' unit tables share: eu's guard (eu data may be held in us read-only; us data only in us). */
final class GuardFixtures {

    static final CodecRegistry CODECS = MongoClientSettings.getDefaultCodecRegistry();
    static final Topology TOPOLOGY = Topology.builder().regions("us", "eu", "ap").local("us").primary("us")
            .residency("eu", "us").build();
    static final ResidencyGuard EU_GUARD = ResidencyGuard.of(TOPOLOGY, Region.of("eu"));
    static final Inspectors EU = Inspectors.of(EU_GUARD);

    /** The expectation of a row that passes. */
    static final String PASSES = "passes";

    private GuardFixtures() {
    }

    /** Asserts that {@code call} passes ({@link #PASSES}) or is refused with a message containing {@code expected}. */
    static void expect(String expected, ThrowableAssert.ThrowingCallable call) {
        if (PASSES.equals(expected)) {
            assertThatCode(call).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(call).isInstanceOf(DocumentResidencyException.class)
                    .hasMessageStartingWith("residency guard for the eu cluster rejected ")
                    .hasMessageContaining(expected);
        }
    }

    /** {@code {name: "twice", <field>: first, <field>: second}} in raw BSON: a field written twice. */
    static RawBsonDocument twice(String field, String first, String second) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter w = new BsonBinaryWriter(buffer)) {
            w.writeStartDocument();
            w.writeString("name", "twice");
            w.writeString(field, first);
            w.writeString(field, second);
            w.writeEndDocument();
        }
        return new RawBsonDocument(buffer.toByteArray());
    }
}
