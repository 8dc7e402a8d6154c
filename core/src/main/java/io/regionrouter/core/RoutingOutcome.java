package io.regionrouter.core;

import java.util.Locale;

/** How a routing decision ended, as a routing observation reports it. */
public enum RoutingOutcome {
    /** The first candidate: the home region, or the primary for GLOBAL writes, or the nearest for GLOBAL reads. */
    FIRST_CHOICE,
    /** Another allowed region, because the ones before it were DOWN for the store. */
    FALLBACK,
    /** The region the context named explicitly. */
    EXPLICIT,
    /** No allowed region was UP. */
    UNAVAILABLE,
    /** The residency rules refused the region. */
    DENIED,
    /** The directory does not know the user. */
    UNKNOWN_USER,
    /** The directory could not answer. */
    DIRECTORY_ERROR,
    /** The request was malformed, such as REGULATED data without a user. */
    INVALID;

    /** The value for a key: lower case with dashes, such as {@code first-choice}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static RoutingOutcome of(RuntimeException e) {
        if (e instanceof UnknownUserException) {
            return UNKNOWN_USER;
        }
        if (e instanceof DirectoryLookupException) {
            return DIRECTORY_ERROR;
        }
        if (e instanceof ResidencyViolationException) {
            return DENIED;
        }
        if (e instanceof RegionUnavailableException) {
            return UNAVAILABLE;
        }
        return INVALID;
    }
}
