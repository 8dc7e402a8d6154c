package io.regionrouter.mongo.internal;

import com.mongodb.client.MapReduceIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import io.regionrouter.mongo.ResidencyGuard;
import org.bson.BsonDocument;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.conversions.Bson;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;

/**
 * Finds what a call on a guarded collection, database or map-reduce iterable would write, from its
 * arguments, and checks it with the guard's inspectors before anything is sent. Every path, and what
 * happens on it:
 *
 * <ul>
 *   <li>{@code insertOne}, {@code insertMany}, {@code replaceOne}, {@code findOneAndReplace}: each
 *       document, as {@link ResidencyGuard#check} does;</li>
 *   <li>{@code updateOne}, {@code updateMany}, {@code findOneAndUpdate}, with an update document
 *       ({@link UpdateInspector}) or a pipeline ({@link PipelineInspector}), and the upsert option;</li>
 *   <li>{@code bulkWrite}: each model as the method it stands for; deletes pass; an unknown model is refused;</li>
 *   <li>{@code aggregate} on the collection or the database: refused with {@code $out} or {@code $merge};</li>
 *   <li>{@code mapReduce(...).collectionName(...)}: refused (an inline map-reduce writes nothing);</li>
 *   <li>{@code runCommand}: {@link CommandInspector}.</li>
 * </ul>
 */
final class GuardedArguments {

    private static final Set<String> SINGLE_DOCUMENT_WRITES = Set.of("insertOne", "replaceOne", "findOneAndReplace");
    private static final Set<String> UPDATES = Set.of("updateOne", "updateMany", "findOneAndUpdate");
    /** The collection methods whose arguments are inspected. */
    private static final Set<String> COLLECTION_METHODS = Set.of("insertOne", "replaceOne", "findOneAndReplace",
            "updateOne", "updateMany", "findOneAndUpdate", "insertMany", "bulkWrite", "aggregate");

    private GuardedArguments() {
    }

    /**
     * Checks what calling {@code method} on {@code delegate} with {@code args} would write.
     *
     * @return whether the arguments make a call that otherwise is not a document write one
     *     ({@code runCommand} of {@code insert}, {@code update}, {@code delete} or {@code findAndModify})
     * @throws io.regionrouter.mongo.DocumentResidencyException if the call may not be made
     */
    static boolean check(ResidencyGuard guard, Object delegate, Method method, Object[] args) {
        String name = method.getName();
        if (delegate instanceof MongoCollection<?> collection) {
            if (COLLECTION_METHODS.contains(name)) { // reads, getters and copies make no inspectors
                checkCollection(Inspectors.of(guard), collection, method, args);
            }
        } else if (delegate instanceof MongoDatabase database) {
            if (name.equals("runCommand") || name.equals("aggregate")) {
                return checkDatabase(Inspectors.of(guard), database, method, args);
            }
        } else if (delegate instanceof MapReduceIterable<?> && method.getName().equals("collectionName")) {
            Inspectors inspectors = Inspectors.of(guard);
            throw CommandInspector.outputRefused(inspectors.field(), "mapReduce (collectionName)");
        }
        return false;
    }

    private static void checkCollection(Inspectors in, MongoCollection<?> collection, Method method, Object[] args) {
        String name = method.getName();
        Class<?>[] types = method.getParameterTypes();
        CodecRegistry codecs = collection.getCodecRegistry();
        Class<?> documentClass = collection.getDocumentClass();
        if (SINGLE_DOCUMENT_WRITES.contains(name)) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == Object.class) { // the erased document type T
                    in.field().checkDocument(name, args[i], codecs);
                }
            }
        } else if (UPDATES.contains(name)) {
            Bson filter = null;
            Object update = null;
            boolean upsert = false;
            for (int i = 0; i < types.length; i++) {
                if (types[i] == Bson.class && filter == null) {
                    filter = (Bson) args[i];
                } else if (types[i] == Bson.class || types[i] == List.class) {
                    update = args[i];
                } else if (args[i] instanceof UpdateOptions options) {
                    upsert = options.isUpsert();
                } else if (args[i] instanceof FindOneAndUpdateOptions options) {
                    upsert = options.isUpsert();
                }
            }
            in.update(name, filter, update, upsert, documentClass, codecs);
        } else if (name.equals("insertMany")) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == List.class) {
                    int index = 0;
                    for (Object document : (List<?>) args[i]) {
                        in.field().checkDocument(name + " (document " + index++ + ")", document, codecs);
                    }
                }
            }
        } else if (name.equals("bulkWrite")) {
            for (int i = 0; i < types.length; i++) {
                if (types[i] == List.class) {
                    int index = 0;
                    for (Object model : (List<?>) args[i]) {
                        checkModel(in, "bulkWrite (model " + index++ + ", ", model, documentClass, codecs);
                    }
                }
            }
        } else if (name.equals("aggregate")) {
            in.aggregate(name, pipelineOf(args), documentClass, codecs);
        }
    }

    private static List<?> pipelineOf(Object[] args) {
        for (Object arg : args) {
            if (arg instanceof List<?> pipeline) {
                return pipeline;
            }
        }
        return List.of();
    }

    private static void checkModel(Inspectors in, String prefix, Object model, Class<?> documentClass,
                                   CodecRegistry codecs) {
        String operation = prefix + (model == null ? "null" : model.getClass().getSimpleName()) + ")";
        if (model instanceof InsertOneModel<?> insert) {
            in.field().checkDocument(operation, insert.getDocument(), codecs);
        } else if (model instanceof ReplaceOneModel<?> replace) {
            in.field().checkDocument(operation, replace.getReplacement(), codecs);
        } else if (model instanceof UpdateOneModel<?> update) {
            in.update(operation, update.getFilter(), update.getUpdate() != null ? update.getUpdate()
                    : update.getUpdatePipeline(), update.getOptions().isUpsert(), documentClass, codecs);
        } else if (model instanceof UpdateManyModel<?> update) {
            in.update(operation, update.getFilter(), update.getUpdate() != null ? update.getUpdate()
                    : update.getUpdatePipeline(), update.getOptions().isUpsert(), documentClass, codecs);
        } else if (!(model instanceof DeleteOneModel<?>) && !(model instanceof DeleteManyModel<?>)) {
            throw in.field().refuse(operation, "the guard does not know this write model; it cannot inspect it");
        }
    }

    private static boolean checkDatabase(Inspectors in, MongoDatabase database, Method method, Object[] args) {
        CodecRegistry codecs = database.getCodecRegistry();
        if (method.getName().equals("runCommand")) {
            Class<?>[] types = method.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (types[i] == Bson.class) {
                    return in.command((Bson) args[i], codecs);
                }
            }
        } else if (method.getName().equals("aggregate")) {
            in.aggregate("aggregate", pipelineOf(args), BsonDocument.class, codecs);
        }
        return false;
    }
}
