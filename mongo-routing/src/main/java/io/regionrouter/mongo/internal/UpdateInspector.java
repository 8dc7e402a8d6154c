package io.regionrouter.mongo.internal;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Map;
import java.util.Set;

/**
 * Decides whether an update document ({@code {$set: …, $inc: …}}) or a replacement may be applied in
 * the guard's cluster, before it is sent.
 *
 * <ul>
 *   <li>{@code $set} or {@code $setOnInsert} of the region field itself: the value must be a region
 *       the cluster may take, as for a document.</li>
 *   <li>Any other operator on the region field or a path under it ({@code $unset}, {@code $inc},
 *       {@code $mul}, {@code $min}, {@code $max}, {@code $currentDate}, {@code $bit}, {@code $push},
 *       {@code $addToSet}, {@code $pop}, {@code $pull}, {@code $pullAll}, and operators this class
 *       does not know), a {@code $set} of a path under it, and a {@code $rename} from or onto it: refused,
 *       since the value it leaves cannot be checked (or there is none).</li>
 *   <li>An upsert that does not set the region field inserts the filter's equality on it, which
 *       {@link UpsertFilter} checks; without one the upsert is refused.</li>
 *   <li>A document without operators is a replacement, checked as a whole document; one that mixes
 *       operators and fields is refused.</li>
 * </ul>
 *
 * <p>Stateless apart from the field; thread-safe.
 */
final class UpdateInspector {

    private static final Set<String> SETTERS = Set.of("$set", "$setOnInsert");

    private final RegionField field;

    UpdateInspector(RegionField field) {
        this.field = field;
    }

    /**
     * Checks an update document, or a replacement.
     *
     * @param operation names the operation in a refusal, for example {@code updateOne}
     * @param filter the filter, {@code null} for none (only read for an upsert)
     * @param update the update document
     * @param upsert whether a document is inserted when none matches
     */
    void check(String operation, BsonDocument filter, BsonDocument update, boolean upsert) {
        if (update == null) {
            throw field.refuse(operation, "the update is null");
        }
        boolean operators = false;
        boolean fields = false;
        for (Map.Entry<String, BsonValue> entry : Bsons.entries(update)) {
            if (entry.getKey().startsWith("$")) {
                operators = true;
            } else {
                fields = true;
            }
        }
        if (!operators) {
            field.checkDocument(operation + " (replacement)", update, null);
            return;
        }
        if (fields) {
            throw field.refuse(operation, "the update mixes operators and plain fields; the guard cannot tell what it"
                    + " writes into " + field.quoted());
        }
        boolean setsRegion = false;
        for (Map.Entry<String, BsonValue> entry : Bsons.entries(update)) {
            setsRegion |= checkOperator(operation, entry.getKey(), entry.getValue());
        }
        if (upsert && !setsRegion) {
            UpsertFilter.check(field, operation + " (upsert)", filter);
        }
    }

    /** Checks one operator's fields; returns whether it sets the region field to a checked value. */
    private boolean checkOperator(String operation, String operator, BsonValue spec) {
        String op = operation + " (" + RegionField.cut(operator) + ")";
        if (!spec.isDocument()) {
            throw field.refuse(op, "the operator's argument is not a document; the guard cannot inspect it");
        }
        boolean setsRegion = false;
        for (Map.Entry<String, BsonValue> entry : Bsons.entries(spec.asDocument())) {
            String path = entry.getKey();
            if (operator.equals("$rename")) {
                BsonValue to = entry.getValue();
                if (!to.isString()) {
                    throw field.refuse(op, "$rename needs a field name as its target; the guard cannot inspect it");
                }
                if (field.touches(path) || field.touches(to.asString().getValue())) {
                    throw field.refuse(operation + " ($rename " + (field.touches(path) ? "of " : "onto ")
                            + field.quoted() + ")", "renaming a field from or onto " + field.quoted()
                            + " would remove the document's region or give it a value the guard cannot check");
                }
            } else if (field.touches(path)) {
                String at = operation + " (" + RegionField.cut(operator) + " of \"" + RegionField.cut(path) + "\")";
                if (SETTERS.contains(operator) && path.equals(field.name())) {
                    field.checkValue(at, entry.getValue());
                    setsRegion = true;
                } else if (operator.equals("$unset")) {
                    throw field.refuse(at, "every document needs its home region; removing it is refused");
                } else {
                    throw field.refuse(at, "the guard cannot check the value this leaves in " + field.quoted()
                            + "; set a region id with $set or $setOnInsert of " + field.quoted() + " instead");
                }
            }
        }
        return setsRegion;
    }
}
