package io.regionrouter.mongo.internal;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a command given to {@code MongoDatabase.runCommand} on a guarded database may be
 * sent. The command's name is its first field.
 *
 * <ul>
 *   <li>{@code insert}: every document of {@code documents} is checked as by an insert.</li>
 *   <li>{@code update}: every statement of {@code updates} is checked as by {@code updateOne}/{@code updateMany}
 *       ({@code q}, {@code u} as an update document, a replacement or a pipeline, {@code upsert}).</li>
 *   <li>{@code findAndModify}: {@code update} (and {@code query}, {@code upsert}) as by
 *       {@code findOneAndUpdate}/{@code findOneAndReplace}; {@code remove: true} passes.</li>
 *   <li>{@code delete} passes: it sets no region.</li>
 *   <li>{@code aggregate}: refused if the pipeline has {@code $out} or {@code $merge}, else passes.</li>
 *   <li>{@code mapReduce}: passes with {@code out: {inline: 1}}, else refused.</li>
 *   <li>{@link #READS read-only commands} and {@link #DEFINITIONS collection and index definitions},
 *       which write no document, pass.</li>
 *   <li>Any other command is refused: the guard fails closed on what it does not know.</li>
 * </ul>
 *
 * <p>Stateless apart from the field; thread-safe.
 */
final class CommandInspector {

    /** Commands that read, or report, and write no document; compared in lower case. */
    static final Set<String> READS = Set.of("find", "count", "distinct", "getmore", "killcursors", "explain",
            "listcollections", "listindexes", "collstats", "dbstats", "datasize", "ping", "hello", "ismaster",
            "buildinfo", "serverstatus", "hostinfo", "connectionstatus", "getparameter", "whatsmyuri");
    /** Commands that define collections, views and indexes and write no document; compared in lower case. */
    static final Set<String> DEFINITIONS = Set.of("create", "createindexes", "dropindexes", "drop", "collmod");

    private final RegionField field;
    private final UpdateInspector updates;
    private final PipelineInspector pipelines;

    CommandInspector(RegionField field, UpdateInspector updates, PipelineInspector pipelines) {
        this.field = field;
        this.updates = updates;
        this.pipelines = pipelines;
    }

    /**
     * Checks a command, as the driver would encode it.
     *
     * @return whether the command writes documents ({@code insert}, {@code update}, {@code delete},
     *     {@code findAndModify})
     * @throws io.regionrouter.mongo.DocumentResidencyException if it may not be sent
     */
    boolean check(BsonDocument command) {
        String name = command == null ? null : Bsons.firstKey(command);
        if (name == null) {
            throw field.refuse("runCommand", "the command is empty");
        }
        String operation = "runCommand " + RegionField.cut(name);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "insert" -> {
                int i = 0;
                for (BsonValue document : array(operation, command, "documents")) {
                    String at = operation + " (document " + i++ + ")";
                    if (!document.isDocument()) {
                        throw field.refuse(at, "not a document; the guard cannot inspect it");
                    }
                    field.checkDocument(at, document.asDocument(), null);
                }
                return true;
            }
            case "update" -> {
                int i = 0;
                for (BsonValue statement : array(operation, command, "updates")) {
                    String at = operation + " (statement " + i++ + ")";
                    if (!statement.isDocument()) {
                        throw field.refuse(at, "not a document; the guard cannot inspect it");
                    }
                    BsonDocument s = statement.asDocument();
                    checkModification(at, one(at, s, "q"), one(at, s, "u"), isTrue(one(at, s, "upsert")));
                }
                return true;
            }
            case "findandmodify" -> {
                if (isTrue(one(operation, command, "remove"))) {
                    return true;
                }
                BsonValue update = one(operation, command, "update");
                if (update != null) {
                    checkModification(operation, one(operation, command, "query"), update,
                            isTrue(one(operation, command, "upsert")));
                }
                return true;
            }
            case "delete" -> {
                return true;
            }
            case "aggregate" -> {
                String stage = PipelineInspector.outputStage(array(operation, command, "pipeline"));
                if (stage != null) {
                    throw outputRefused(field, operation + " (" + stage + ")");
                }
                return false;
            }
            case "mapreduce" -> {
                BsonValue out = one(operation, command, "out");
                if (out == null || !out.isDocument() || Bsons.all(out.asDocument(), "inline").isEmpty()) {
                    throw outputRefused(field, operation + " (out)");
                }
                return false;
            }
            default -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (READS.contains(lower) || DEFINITIONS.contains(lower)) {
                    return false;
                }
                throw field.refuse(operation, "the guard lets through only the commands it can inspect (insert, update,"
                        + " delete, findAndModify, aggregate and mapReduce without an output collection) and commands"
                        + " that write no document; use RegionalMongoClients.client(region) for administrative commands");
            }
        }
    }

    /** The refusal of an aggregation or map-reduce that writes an output collection. */
    static io.regionrouter.mongo.DocumentResidencyException outputRefused(RegionField field, String operation) {
        return field.refuse(operation, "the guard cannot prove the region of the documents an aggregation writes into"
                + " a collection; run trusted pipelines that write through RegionalMongoClients.client(region)");
    }

    private void checkModification(String operation, BsonValue query, BsonValue update, boolean upsert) {
        if (query != null && !query.isDocument()) {
            throw field.refuse(operation, "the filter is not a document; the guard cannot inspect it");
        }
        BsonDocument filter = query == null ? null : query.asDocument();
        if (update != null && update.isArray()) {
            pipelines.checkUpdate(operation, filter, update.asArray().getValues(), upsert);
        } else if (update != null && update.isDocument()) {
            updates.check(operation, filter, update.asDocument(), upsert);
        } else {
            throw field.refuse(operation, "the update is neither a document nor a pipeline; the guard cannot inspect it");
        }
    }

    /** The one value of {@code name}, {@code null} if absent; refused if raw BSON holds it twice. */
    private BsonValue one(String operation, BsonDocument document, String name) {
        List<BsonValue> values = Bsons.all(document, name);
        if (values.size() > 1) {
            throw field.refuse(operation, "the field \"" + name + "\" appears " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private List<BsonValue> array(String operation, BsonDocument command, String name) {
        BsonValue value = one(operation, command, name);
        if (value == null || !value.isArray()) {
            throw field.refuse(operation, "\"" + name + "\" must be an array; the guard cannot inspect the command");
        }
        return value.asArray().getValues();
    }

    private static boolean isTrue(BsonValue value) {
        if (value == null) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean().getValue();
        }
        return value.isNumber() && value.asNumber().doubleValue() != 0;
    }
}
