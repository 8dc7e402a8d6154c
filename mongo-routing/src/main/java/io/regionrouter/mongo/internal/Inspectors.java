package io.regionrouter.mongo.internal;

import com.mongodb.MongoClientSettings;
import io.regionrouter.mongo.DocumentResidencyException;
import io.regionrouter.mongo.ResidencyGuard;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

import java.util.List;

/**
 * The inspectors of one {@link ResidencyGuard}: what {@link ResidencyGuard}'s update, pipeline,
 * aggregation and command checks and the guarded proxies run. A handful of small stateless objects,
 * cheap to make per call; thread-safe.
 */
public final class Inspectors {

    private final RegionField field;
    private final UpdateInspector updates;
    private final PipelineInspector pipelines;
    private final CommandInspector commands;

    private Inspectors(ResidencyGuard guard) {
        field = new RegionField(guard);
        updates = new UpdateInspector(field);
        pipelines = new PipelineInspector(field);
        commands = new CommandInspector(field, updates, pipelines);
    }

    /** The inspectors of {@code guard}. */
    public static Inspectors of(ResidencyGuard guard) {
        return new Inspectors(guard);
    }

    RegionField field() {
        return field;
    }

    /**
     * Checks an update: {@code update} is a {@link Bson} update document or replacement, or a
     * {@code List} of {@link Bson} pipeline stages.
     *
     * @throws DocumentResidencyException naming {@code operation} if it may not be sent
     */
    public void update(String operation, Bson filter, Object update, boolean upsert, Class<?> documentClass,
                       CodecRegistry codecs) {
        BsonDocument rawFilter = Bsons.raw(filter, documentClass, codecs);
        if (update instanceof List<?> pipeline) {
            pipelines.checkUpdate(operation, rawFilter, Bsons.pipeline(pipeline, documentClass, codecs), upsert);
        } else {
            updates.check(operation, rawFilter, Bsons.raw((Bson) update, documentClass, codecs), upsert);
        }
    }

    /**
     * Refuses an aggregation pipeline that writes into a collection ({@code $out}, {@code $merge}).
     *
     * @throws DocumentResidencyException naming {@code operation} and the stage
     */
    public void aggregate(String operation, List<?> pipeline, Class<?> documentClass, CodecRegistry codecs) {
        String stage = PipelineInspector.outputStage(Bsons.pipeline(pipeline, documentClass, codecs));
        if (stage != null) {
            throw CommandInspector.outputRefused(field, operation + " (" + stage + ")");
        }
    }

    /**
     * Every value of {@code field} in {@code document} as {@code codecs} encode it (the default
     * registry when {@code null}), repeated names included.
     */
    public static List<BsonValue> regionValues(Object document, String field, CodecRegistry codecs) {
        CodecRegistry registry = codecs != null ? codecs : MongoClientSettings.getDefaultCodecRegistry();
        return Bsons.all(Bsons.encode(document, registry), field);
    }

    /**
     * Checks a command for {@code runCommand}.
     *
     * @return whether it writes documents
     * @throws DocumentResidencyException if it may not be sent
     */
    public boolean command(Bson command, CodecRegistry codecs) {
        return commands.check(Bsons.raw(command, BsonDocument.class, codecs));
    }
}
