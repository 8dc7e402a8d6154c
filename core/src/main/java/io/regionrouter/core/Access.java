package io.regionrouter.core;

/**
 * Whether a request reads or writes.
 */
public enum Access {
    /** The request only reads. */
    READ,
    /** The request writes (or reads and writes). */
    WRITE
}
