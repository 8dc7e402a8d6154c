/**
 * Implementation of the testkit: process management, proxies and data directories.
 *
 * <p>Everything in this package is internal and may change without notice. Use the types in
 * {@link io.regionrouter.testkit} instead.
 */
package io.regionrouter.testkit.internal;
