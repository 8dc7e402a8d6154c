package io.regionrouter.mongo;

import io.regionrouter.core.Region;
import io.regionrouter.core.ResidencyViolationException;

/**
 * Thrown by {@link ResidencyGuard} before a document is sent: its region field is missing, is not a
 * region of the topology, or names a home region whose REGULATED data may not be written in the
 * target cluster's region (not stored there at all, or held there only as a read-only copy).
 * {@link #home()} is the document's region when it names a declared region, else {@code null};
 * {@link #target()} is the cluster's region.
 */
public class DocumentResidencyException extends ResidencyViolationException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    /** Creates the exception; {@code reason} says what was wrong with the field. */
    public DocumentResidencyException(String field, Region documentRegion, Region target, String reason) {
        super(null, documentRegion, target);
        this.field = field;
        this.reason = reason;
    }

    /** The name of the region field that was checked. */
    public String field() {
        return field;
    }

    @Override
    public String getMessage() {
        return "residency guard for the " + target() + " cluster rejected a document: " + reason;
    }
}
