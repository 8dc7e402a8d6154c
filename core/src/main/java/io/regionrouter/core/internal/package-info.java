/**
 * Implementation details of region-router core.
 *
 * <p>Nothing in this package is public API. It may change or disappear in any release without
 * notice; use the types in {@code io.regionrouter.core} instead.
 */
package io.regionrouter.core.internal;
