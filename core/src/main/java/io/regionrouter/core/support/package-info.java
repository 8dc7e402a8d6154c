/**
 * Helpers that region-router's own modules share: range checks for settings, quoting of values in
 * messages, masking of secrets in URLs, and PostgreSQL identifier and literal quoting.
 *
 * <p>Not public API. On the module path this package is exported only to region-router's modules,
 * so an application cannot import it; on the class path it is reachable but may change or disappear
 * in any release without notice.
 */
package io.regionrouter.core.support;
