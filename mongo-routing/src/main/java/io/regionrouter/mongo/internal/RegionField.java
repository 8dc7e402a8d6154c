package io.regionrouter.mongo.internal;

import io.regionrouter.mongo.DocumentResidencyException;
import io.regionrouter.mongo.ResidencyGuard;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * The guard's region field as the inspectors see it: which paths touch it, whether a value may be
 * written into it, and the refusals they throw.
 */
final class RegionField {

    /** Longest user-supplied name (operator, stage, command) quoted in a message. */
    private static final int MAX_QUOTED = 64;

    private final ResidencyGuard guard;
    private final String name;

    RegionField(ResidencyGuard guard) {
        this.guard = guard;
        this.name = guard.regionField();
    }

    /** The field's name. */
    String name() {
        return name;
    }

    /**
     * Whether writing {@code path} can change the field: the field itself or a path under it
     * ({@code region.x}, {@code region.$}, {@code region.$[e]}). The field is a top-level name
     * ({@link ResidencyGuard#of(io.regionrouter.core.Topology, io.regionrouter.core.Region, String)}
     * refuses a dotted one), so no other path reaches it.
     */
    boolean touches(String path) {
        return path.equals(name) || path.startsWith(name + ".");
    }

    /**
     * Checks that {@code value} may be written into the field in the guard's cluster, as the guard
     * checks a document's region.
     *
     * @throws DocumentResidencyException attributed to {@code operation}
     */
    void checkValue(String operation, BsonValue value) {
        try {
            guard.check(new BsonDocument(name, value), null);
        } catch (DocumentResidencyException e) {
            throw attributed(e, operation);
        }
    }

    /** Checks a whole document (inserted or replacing one), attributing a refusal to {@code operation}. */
    void checkDocument(String operation, Object document, org.bson.codecs.configuration.CodecRegistry codecs) {
        try {
            guard.check(document, codecs);
        } catch (DocumentResidencyException e) {
            throw attributed(e, operation);
        }
    }

    /** The same refusal, attributed to {@code operation}. */
    private static DocumentResidencyException attributed(DocumentResidencyException e, String operation) {
        return new DocumentResidencyException(e.field(), e.home(), e.target(), operation, e.reason());
    }

    /** A refusal of {@code operation} for {@code reason}; the region written is unknown. */
    DocumentResidencyException refuse(String operation, String reason) {
        return new DocumentResidencyException(name, null, guard.target(), operation, reason);
    }

    /** {@code "region"}, quoted, for messages. */
    String quoted() {
        return "\"" + name + "\"";
    }

    /** A user-supplied name cut for a message, so that a message never carries a long or multi-line input. */
    static String cut(String userSupplied) {
        if (userSupplied == null) {
            return "null";
        }
        String printable = userSupplied.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_QUOTED ? printable : printable.substring(0, MAX_QUOTED) + "...";
    }
}
