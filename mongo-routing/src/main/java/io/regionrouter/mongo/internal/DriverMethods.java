package io.regionrouter.mongo.internal;

import java.lang.reflect.Method;
import java.util.Set;

/**
 * What a method of the driver's synchronous API does, judged from its name and return type, so that
 * the region-bound proxies keep pace with driver releases that add overloads.
 */
final class DriverMethods {

    /** The package of the synchronous API's interfaces. */
    static final String DRIVER_PACKAGE = "com.mongodb.client";

    /**
     * Methods that write documents: those of {@code MongoCollection}, and
     * {@code AggregateIterable.toCollection()} ({@code $out}, {@code $merge}).
     */
    private static final Set<String> DOCUMENT_WRITES = Set.of("insertOne", "insertMany", "updateOne", "updateMany",
            "replaceOne", "deleteOne", "deleteMany", "findOneAndDelete", "findOneAndReplace", "findOneAndUpdate",
            "bulkWrite", "toCollection");

    private DriverMethods() {
    }

    /** Whether the method writes documents. */
    static boolean isDocumentWrite(Method method) {
        return DOCUMENT_WRITES.contains(method.getName());
    }

    /**
     * Whether the method talks to the server. Getters, {@code with...} copies and methods that return
     * another lazy driver object (a collection, an iterable) send nothing; a cursor is opened by a
     * round trip, so {@code iterator()} and {@code cursor()} do.
     */
    static boolean talksToServer(Method method) {
        String name = method.getName();
        if (name.startsWith("get") || name.startsWith("with")) {
            return false;
        }
        return !returnsLazyDriverObject(method);
    }

    /** Whether the method returns a driver interface whose calls fail later, when they are used. */
    static boolean returnsDriverInterface(Method method) {
        Class<?> type = method.getReturnType();
        return type.isInterface() && type.getPackageName().equals(DRIVER_PACKAGE);
    }

    private static boolean returnsLazyDriverObject(Method method) {
        return returnsDriverInterface(method) && !isCursorType(method.getReturnType());
    }

    /** Whether the type is one of the driver's cursors, whose {@code next()} may fetch a batch. */
    static boolean isCursorType(Class<?> type) {
        return type.getSimpleName().endsWith("Cursor");
    }
}
