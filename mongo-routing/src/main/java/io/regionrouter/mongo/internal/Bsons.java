package io.regionrouter.mongo.internal;

import org.bson.BsonArray;
import org.bson.BsonBinaryReader;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonValueCodec;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.RawBsonDocumentCodec;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads documents the way the driver sends them. A document is encoded with the same codecs the
 * driver uses into raw BSON, and its fields are read from those bytes, duplicates included: a
 * document that holds its region field twice (a {@code RawBsonDocument} or a custom codec can write
 * that) must not show the guard one value and the server another.
 */
final class Bsons {

    private static final BsonValueCodec VALUES = new BsonValueCodec();
    private static final RawBsonDocumentCodec RAW = new RawBsonDocumentCodec();
    private static final DecoderContext DECODING = DecoderContext.builder().build();

    private Bsons() {
    }

    /** {@code bson} as the driver would encode it (filters, updates, stages, commands); {@code null} stays {@code null}. */
    static RawBsonDocument raw(Bson bson, Class<?> documentClass, CodecRegistry codecs) {
        if (bson == null) {
            return null;
        }
        if (bson instanceof RawBsonDocument raw) {
            return raw;
        }
        return encode(bson.toBsonDocument(documentClass, codecs), codecs);
    }

    /** A document of any class (a {@code Document}, a POJO, a record) as the codec encodes it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static RawBsonDocument encode(Object document, CodecRegistry codecs) {
        if (document instanceof RawBsonDocument raw) {
            return raw;
        }
        Codec codec = codecs.get(document.getClass());
        return new RawBsonDocument(document, codec);
    }

    /** Each stage of a pipeline, as the driver would encode it. */
    static List<RawBsonDocument> pipeline(List<?> stages, Class<?> documentClass, CodecRegistry codecs) {
        List<RawBsonDocument> result = new ArrayList<>(stages.size());
        for (Object stage : stages) {
            result.add(stage == null ? null : raw((Bson) stage, documentClass, codecs));
        }
        return result;
    }

    /** The fields of {@code document} in order, every occurrence of a name repeated in raw BSON included. */
    static List<Map.Entry<String, BsonValue>> entries(BsonDocument document) {
        if (!(document instanceof RawBsonDocument raw)) {
            return List.copyOf(document.entrySet());
        }
        List<Map.Entry<String, BsonValue>> entries = new ArrayList<>();
        try (BsonBinaryReader reader = new BsonBinaryReader(raw.getByteBuffer().asNIO())) {
            reader.readStartDocument();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                String name = reader.readName();
                entries.add(new AbstractMap.SimpleImmutableEntry<>(name, value(reader)));
            }
            reader.readEndDocument();
        }
        return entries;
    }

    /** Every value of the field {@code name}, in order; more than one only in raw BSON. */
    static List<BsonValue> all(BsonDocument document, String name) {
        List<BsonValue> values = new ArrayList<>(1);
        for (Map.Entry<String, BsonValue> entry : entries(document)) {
            if (entry.getKey().equals(name)) {
                values.add(entry.getValue());
            }
        }
        return values;
    }

    /** The name of the first field, {@code null} for an empty document. */
    static String firstKey(BsonDocument document) {
        List<Map.Entry<String, BsonValue>> entries = entries(document);
        return entries.isEmpty() ? null : entries.get(0).getKey();
    }

    /** Whether any field name of the document starts with {@code $}: an operator, or an expression. */
    static boolean hasOperatorKey(BsonDocument document) {
        for (Map.Entry<String, BsonValue> entry : entries(document)) {
            if (entry.getKey().startsWith("$")) {
                return true;
            }
        }
        return false;
    }

    private static BsonValue value(BsonBinaryReader reader) {
        BsonType type = reader.getCurrentBsonType();
        if (type == BsonType.DOCUMENT) {
            return RAW.decode(reader, DECODING); // nested documents stay raw, so their duplicates stay visible
        }
        if (type == BsonType.ARRAY) {
            BsonArray array = new BsonArray();
            reader.readStartArray();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                array.add(value(reader));
            }
            reader.readEndArray();
            return array;
        }
        return VALUES.decode(reader, DECODING);
    }
}
