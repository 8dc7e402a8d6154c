package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;

/**
 * Thrown by {@link ResidencyGuard} before anything is sent: a document's region field is missing, is
 * not a region of the topology, or names a home region whose REGULATED data may not be written in
 * the target cluster's region (not stored there at all, or held there only as a read-only copy); or
 * an operation could set, change or remove the region field in a way the guard cannot check, and is
 * refused. {@link #home()} is the region written when it names a declared region, else {@code null};
 * {@link #target()} is the cluster's region; {@link #operation()} names what was refused, for example
 * {@code updateOne ($max of "region")}, and {@link #reason()} why. The message holds no document
 * content other than the region value.
 */
public class DocumentResidencyException extends ResidencyViolationException {

    private static final long serialVersionUID = 1L;

    /** The {@link #operation()} of a document checked on its own. */
    public static final String A_DOCUMENT = "a document";

    private final String field;
    private final String operation;
    private final String reason;

    /** Creates the exception for a document; {@code reason} says what was wrong with the field. */
    public DocumentResidencyException(String field, Region documentRegion, Region target, String reason) {
        this(field, documentRegion, target, A_DOCUMENT, reason);
    }

    /**
     * Creates the exception for an operation; {@code operation} names it and the operator, stage or
     * command at fault, {@code reason} says what was wrong.
     */
    public DocumentResidencyException(String field, Region documentRegion, Region target, String operation,
                                      String reason) {
        super(null, documentRegion, target);
        this.field = field;
        this.operation = operation == null ? A_DOCUMENT : operation;
        this.reason = reason;
    }

    /** The name of the region field that was checked. */
    public String field() {
        return field;
    }

    /** What was refused: {@value #A_DOCUMENT}, or an operation with the operator, stage or command at fault. */
    public String operation() {
        return operation;
    }

    /** Why it was refused, without the "residency guard ... rejected ..." prefix of the message. */
    public String reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return "residency guard for the " + target() + " cluster rejected " + operation + ": " + reason;
    }
}
