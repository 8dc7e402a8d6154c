/**
 * Implementation of region-router's JDBC routing. Everything in this package may change without
 * notice between releases; use the types of {@code io.regionrouter.jdbc} instead.
 */
package io.regionrouter.jdbc.internal;
