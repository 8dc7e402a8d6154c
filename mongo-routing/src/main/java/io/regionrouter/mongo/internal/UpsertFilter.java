package io.regionrouter.mongo.internal;

import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The region an upsert gives the document it inserts when its update leaves the region field alone:
 * the server builds that document from the filter's equality conditions, so the filter must fix the
 * region with an equality ({@code {region: "eu"}} or {@code {region: {$eq: "eu"}}}, at the top level or
 * inside {@code $and}) to a region the cluster may take.
 *
 * <p>Refused, because the inserted document's region could not be proved: no equality on the field
 * (the document would have no region), any other condition on it ({@code $in}, {@code $ne}, a
 * regular expression...; the server turns some of them into equalities too), a condition on a path
 * under it ({@code region.x}), and a mention of it inside {@code $or}, {@code $nor} or {@code $not}.
 */
final class UpsertFilter {

    private UpsertFilter() {
    }

    /** Checks the region of the document an upsert with {@code filter} would insert. */
    static void check(RegionField field, String operation, BsonDocument filter) {
        List<BsonValue> equalities = new ArrayList<>();
        if (filter != null) {
            collect(field, operation, filter, equalities);
        }
        if (equalities.isEmpty()) {
            throw field.refuse(operation, "neither the filter (an equality on " + field.quoted() + ") nor the update ($set or"
                    + " $setOnInsert of " + field.quoted() + ") gives the inserted document a region");
        }
        for (BsonValue value : equalities) {
            field.checkValue(operation + " (filter's equality on " + field.quoted() + ")", value);
        }
    }

    private static void collect(RegionField field, String operation, BsonDocument filter, List<BsonValue> equalities) {
        for (Map.Entry<String, BsonValue> entry : Bsons.entries(filter)) {
            String key = entry.getKey();
            BsonValue value = entry.getValue();
            if (key.equals("$and")) {
                if (!value.isArray()) {
                    throw field.refuse(operation, "$and must hold an array of conditions; the guard cannot inspect it");
                }
                for (BsonValue clause : value.asArray()) {
                    if (!clause.isDocument()) {
                        throw field.refuse(operation, "$and must hold documents; the guard cannot inspect it");
                    }
                    collect(field, operation, clause.asDocument(), equalities);
                }
            } else if (key.startsWith("$")) {
                if (mentions(field, value)) {
                    throw field.refuse(operation + " (" + RegionField.cut(key) + " on " + field.quoted() + ")",
                            "an upsert may take the inserted document's region only from an equality outside $or, $nor"
                                    + " and $not");
                }
            } else if (key.equals(field.name())) {
                equalities.add(equality(field, operation, value));
            } else if (field.touches(key)) {
                throw field.refuse(operation + " (condition on \"" + RegionField.cut(key) + "\")",
                        "an upsert would build " + field.quoted() + " from this condition; the guard cannot check it");
            }
        }
    }

    /** The value of {@code {region: v}} or {@code {region: {$eq: v}}}; any other condition is refused. */
    private static BsonValue equality(RegionField field, String operation, BsonValue condition) {
        if (condition.isDocument() && Bsons.hasOperatorKey(condition.asDocument())) {
            List<Map.Entry<String, BsonValue>> operators = Bsons.entries(condition.asDocument());
            if (operators.size() == 1 && operators.get(0).getKey().equals("$eq")) {
                return operators.get(0).getValue();
            }
            throw field.refuse(operation + " (" + RegionField.cut(operators.get(0).getKey()) + " on " + field.quoted() + ")",
                    "an upsert takes the inserted document's region from the filter only through an equality;"
                            + " use {" + field.name() + ": <region>} or $setOnInsert");
        }
        return condition;
    }

    /** Whether a logical operator's argument names the field anywhere. */
    private static boolean mentions(RegionField field, BsonValue value) {
        if (value.isDocument()) {
            for (Map.Entry<String, BsonValue> entry : Bsons.entries(value.asDocument())) {
                if (field.touches(entry.getKey()) || mentions(field, entry.getValue())) {
                    return true;
                }
            }
        } else if (value.isArray()) {
            for (BsonValue element : value.asArray()) {
                if (mentions(field, element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
