/**
 * Implementation details of the MongoDB adapter. Everything in this package may change without
 * notice between releases; depend only on {@code io.regionrouter.mongo}.
 */
package io.regionrouter.mongo.internal;
