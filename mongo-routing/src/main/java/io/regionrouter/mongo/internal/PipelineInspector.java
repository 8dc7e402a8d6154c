package io.regionrouter.mongo.internal;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether an update pipeline ({@code updateOne(filter, List<Bson>)}) may be applied in the
 * guard's cluster, and finds the stages of an aggregation that write ({@code $out}, {@code $merge}).
 *
 * <p>An update pipeline is followed stage by stage, tracking what the region field holds: the
 * document's own value, a literal, nothing, or something computed. It may use only the stages the
 * server allows in update pipelines:
 *
 * <ul>
 *   <li>{@code $set}/{@code $addFields} of the field: a string literal ({@code "eu"},
 *       {@code {$literal: "eu"}}) or the field itself ({@code "$region"}); any other expression (a
 *       field path, a variable such as {@code $$REMOVE} or a {@code let} constant, an operator) is
 *       computed;</li>
 *   <li>{@code $unset} of the field removes it;</li>
 *   <li>{@code $project}: an inclusion keeps the field only if it includes it, an exclusion only if
 *       it does not exclude it, a computed field as for {@code $set};</li>
 *   <li>{@code $replaceRoot}/{@code $replaceWith}: {@code "$$ROOT"}/{@code "$$CURRENT"} keep the field, a
 *       literal object holds what its field holds (nothing if absent), {@code $mergeObjects} what its
 *       last argument that has the field holds; anything else is computed.</li>
 * </ul>
 *
 * A path under the field, or any other stage, counts as computed. At the end, a literal must be a region
 * the cluster may take, a removed or computed region is refused, and an unchanged one is the
 * document's own, or for an upsert the filter's equality ({@link UpsertFilter}).
 *
 * <p>Stateless apart from the field; thread-safe.
 */
final class PipelineInspector {

    /** Stages that write the documents an aggregation outputs into a collection. */
    static final Set<String> OUTPUT_STAGES = Set.of("$out", "$merge");

    private final RegionField field;

    PipelineInspector(RegionField field) {
        this.field = field;
    }

    /** The first {@code $out} or {@code $merge} anywhere in the pipeline (sub-pipelines included), or {@code null}. */
    static String outputStage(List<? extends BsonValue> pipeline) {
        for (BsonValue stage : pipeline) {
            String found = outputStageIn(stage);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String outputStageIn(BsonValue value) {
        if (value == null) {
            return null;
        }
        if (value.isDocument()) {
            for (Map.Entry<String, BsonValue> entry : Bsons.entries(value.asDocument())) {
                if (OUTPUT_STAGES.contains(entry.getKey())) {
                    return entry.getKey();
                }
                String nested = outputStageIn(entry.getValue());
                if (nested != null) {
                    return nested;
                }
            }
        } else if (value.isArray()) {
            return outputStage(value.asArray().getValues());
        }
        return null;
    }

    /**
     * Checks an update pipeline.
     *
     * @param operation names the operation in a refusal
     * @param filter the filter, read only for an upsert; {@code null} for none
     * @param pipeline the stages, as the driver would encode them
     * @param upsert whether a document is inserted when none matches
     */
    void checkUpdate(String operation, BsonDocument filter, List<? extends BsonValue> pipeline, boolean upsert) {
        State state = State.UNCHANGED;
        int index = 0;
        for (BsonValue stage : pipeline) {
            if (stage == null || !stage.isDocument() || Bsons.entries(stage.asDocument()).size() != 1) {
                throw field.refuse(operation + " (pipeline stage " + index + ")",
                        "a stage must be a document with one field; the guard cannot inspect it");
            }
            Map.Entry<String, BsonValue> only = Bsons.entries(stage.asDocument()).get(0);
            state = apply(operation + " (pipeline stage " + index + ", " + RegionField.cut(only.getKey()) + ")",
                    only.getKey(), only.getValue(), state);
            index++;
        }
        switch (state.kind()) {
            case UNCHANGED -> {
                if (upsert) {
                    UpsertFilter.check(field, operation + " (upsert)", filter);
                }
            }
            case LITERAL -> field.checkValue(state.where(), state.value());
            case REMOVED -> throw field.refuse(state.where(), "the pipeline leaves the document without "
                    + field.quoted() + "; every document needs its home region");
            case COMPUTED -> throw field.refuse(state.where(), "the pipeline computes " + field.quoted()
                    + " from an expression the guard cannot check; set it to a region id literal");
            default -> throw new IllegalStateException(state.kind().name());
        }
    }

    private State apply(String where, String stage, BsonValue spec, State state) {
        switch (stage) {
            case "$set", "$addFields" -> {
                State result = state;
                for (Map.Entry<String, BsonValue> entry : fields(where, spec)) {
                    if (entry.getKey().equals(field.name())) {
                        result = expression(where, entry.getValue(), result);
                    } else if (field.touches(entry.getKey())) {
                        result = State.computed(where);
                    }
                }
                return result;
            }
            case "$unset" -> {
                List<BsonValue> names = spec.isArray() ? spec.asArray().getValues() : List.of(spec);
                for (BsonValue name : names) {
                    if (!name.isString()) {
                        throw field.refuse(where, "$unset takes field names; the guard cannot inspect it");
                    }
                    if (field.touches(name.asString().getValue())) {
                        return State.removed(where);
                    }
                }
                return state;
            }
            case "$project" -> {
                return project(where, spec, state);
            }
            case "$replaceRoot" -> {
                BsonValue newRoot = spec.isDocument() ? Bsons.all(spec.asDocument(), "newRoot").stream().findFirst()
                        .orElse(null) : null;
                if (newRoot == null) {
                    throw field.refuse(where, "$replaceRoot needs newRoot; the guard cannot inspect it");
                }
                return root(where, newRoot, state);
            }
            case "$replaceWith" -> {
                return root(where, spec, state);
            }
            default -> throw field.refuse(where, "the guard inspects only $set, $addFields, $unset, $project,"
                    + " $replaceRoot and $replaceWith in an update pipeline");
        }
    }

    private State project(String where, BsonValue spec, State state) {
        List<Map.Entry<String, BsonValue>> fields = fields(where, spec);
        boolean exclusion = true;
        for (Map.Entry<String, BsonValue> entry : fields) {
            if (!entry.getKey().equals("_id") && !excludes(entry.getValue())) {
                exclusion = false;
            }
        }
        State result = null;
        for (Map.Entry<String, BsonValue> entry : fields) {
            if (entry.getKey().equals(field.name())) {
                BsonValue value = entry.getValue();
                if (includes(value)) {
                    result = state;
                } else if (excludes(value)) {
                    result = State.removed(where);
                } else {
                    result = expression(where, value, state);
                }
            } else if (field.touches(entry.getKey())) {
                result = State.computed(where);
            }
        }
        if (result != null) {
            return result;
        }
        return exclusion ? state : State.removed(where); // an inclusion that does not name the field drops it
    }

    /** What a new root holds in the field. */
    private State root(String where, BsonValue root, State state) {
        if (root.isString()) {
            String name = root.asString().getValue();
            return name.equals("$$ROOT") || name.equals("$$CURRENT") ? state : State.computed(where);
        }
        if (!root.isDocument()) {
            return State.computed(where);
        }
        BsonDocument document = root.asDocument();
        if (!Bsons.hasOperatorKey(document)) {
            State result = State.removed(where);
            for (Map.Entry<String, BsonValue> entry : Bsons.entries(document)) {
                if (entry.getKey().equals(field.name())) {
                    result = expression(where, entry.getValue(), state);
                } else if (field.touches(entry.getKey())) {
                    result = State.computed(where);
                }
            }
            return result;
        }
        List<Map.Entry<String, BsonValue>> operators = Bsons.entries(document);
        if (operators.size() == 1 && operators.get(0).getKey().equals("$mergeObjects")) {
            BsonValue arguments = operators.get(0).getValue();
            List<BsonValue> objects = arguments.isArray() ? arguments.asArray().getValues() : List.of(arguments);
            State result = State.removed(where);
            for (BsonValue object : objects) {
                State next = root(where, object, state);
                if (next.kind() != Kind.REMOVED) { // an object without the field leaves the earlier value
                    result = next;
                }
            }
            return result;
        }
        return State.computed(where);
    }

    /** What an aggregation expression assigned to the field evaluates to. */
    private State expression(String where, BsonValue expression, State state) {
        if (expression.isString()) {
            String text = expression.asString().getValue();
            if (text.equals("$" + field.name()) || text.equals("$$CURRENT." + field.name())) {
                return state;
            }
            return text.startsWith("$") ? State.computed(where) : State.literal(where, expression);
        }
        if (expression.isDocument()) {
            List<Map.Entry<String, BsonValue>> entries = Bsons.entries(expression.asDocument());
            if (entries.size() == 1 && entries.get(0).getKey().equals("$literal")) {
                return State.literal(where, entries.get(0).getValue());
            }
            return State.computed(where); // an operator, or an object that would make the field a document
        }
        if (expression.isArray()) {
            return State.computed(where);
        }
        return State.literal(where, expression); // a number, a boolean, null...: checked, and refused, as a value
    }

    private List<Map.Entry<String, BsonValue>> fields(String where, BsonValue spec) {
        if (!spec.isDocument()) {
            throw field.refuse(where, "the stage's argument is not a document; the guard cannot inspect it");
        }
        return Bsons.entries(spec.asDocument());
    }

    private static boolean includes(BsonValue value) {
        return (value.isBoolean() && value.asBoolean().getValue()) || (value.isNumber() && value.asNumber().doubleValue() != 0);
    }

    /** {@code 0}, {@code false}, or a nested document of exclusions only. */
    private static boolean excludes(BsonValue value) {
        if (value.isBoolean()) {
            return !value.asBoolean().getValue();
        }
        if (value.isNumber()) {
            return value.asNumber().doubleValue() == 0;
        }
        if (value.isDocument() && !Bsons.hasOperatorKey(value.asDocument())) {
            List<Map.Entry<String, BsonValue>> entries = Bsons.entries(value.asDocument());
            return !entries.isEmpty() && entries.stream().allMatch(e -> excludes(e.getValue()));
        }
        return false;
    }

    private enum Kind { UNCHANGED, LITERAL, REMOVED, COMPUTED }

    /** What the field holds after a stage, and where that was decided (for the message). */
    private record State(Kind kind, BsonValue value, String where) {
        static final State UNCHANGED = new State(Kind.UNCHANGED, null, null);

        static State literal(String where, BsonValue value) {
            return new State(Kind.LITERAL, value, where);
        }

        static State removed(String where) {
            return new State(Kind.REMOVED, null, where);
        }

        static State computed(String where) {
            return new State(Kind.COMPUTED, null, where);
        }
    }
}
