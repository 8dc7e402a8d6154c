package io.regionrouter.mongo.internal;

import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import io.regionrouter.mongo.ResidencyGuard;

import org.bson.conversions.Bson;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Dynamic proxies around a region's {@link MongoDatabase} and {@link MongoCollection}: they run the
 * {@link ResidencyGuard} on every document written by insert or replace, report connectivity failures
 * to a hook (the region's health) and keep wrapping what they hand out: databases, collections, and
 * the driver's iterables and cursors, where read failures actually surface.
 * A proxy rather than a hand-written delegate keeps pace with driver releases that add methods.
 */
public final class RegionBoundProxies {

    private static final String DRIVER_PACKAGE = "com.mongodb.client";
    private static final Set<String> SINGLE_DOCUMENT_WRITES = Set.of("insertOne", "replaceOne", "findOneAndReplace");
    private static final Set<String> UPDATES = Set.of("updateOne", "updateMany", "findOneAndUpdate");

    private RegionBoundProxies() {
    }

    /**
     * Wraps a collection.
     *
     * @param guard checks written documents; may be {@code null} for none
     * @param onConnectivityFailure told about socket and timeout failures; may be {@code null}
     */
    @SuppressWarnings("unchecked")
    public static <T> MongoCollection<T> collection(MongoCollection<T> delegate, ResidencyGuard guard,
                                                    Consumer<Throwable> onConnectivityFailure) {
        return (MongoCollection<T>) Proxy.newProxyInstance(RegionBoundProxies.class.getClassLoader(),
                new Class<?>[] {MongoCollection.class},
                new Handler(delegate, guard, onConnectivityFailure, true));
    }

    /** Wraps a database; see {@link #collection}. */
    public static MongoDatabase database(MongoDatabase delegate, ResidencyGuard guard,
                                         Consumer<Throwable> onConnectivityFailure) {
        return (MongoDatabase) Proxy.newProxyInstance(RegionBoundProxies.class.getClassLoader(),
                new Class<?>[] {MongoDatabase.class},
                new Handler(delegate, guard, onConnectivityFailure, false));
    }

    private static final class Handler implements InvocationHandler {
        private final Object delegate;
        private final ResidencyGuard guard;
        private final Consumer<Throwable> onFailure;
        private final boolean isCollection;

        Handler(Object delegate, ResidencyGuard guard, Consumer<Throwable> onFailure, boolean isCollection) {
            this.delegate = delegate;
            this.guard = guard;
            this.onFailure = onFailure;
            this.isCollection = isCollection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "RegionBound{" + (guard == null ? "unguarded" : guard) + ", " + delegate + "}";
                };
            }
            if (isCollection && guard != null) {
                checkDocuments(method, args);
            }
            Object result;
            try {
                result = method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (onFailure != null && (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException)) {
                    onFailure.accept(cause);
                }
                throw cause;
            }
            return rewrap(method.getReturnType(), result);
        }

        private Object rewrap(Class<?> declared, Object result) {
            if (result instanceof MongoCollection<?> collection && !Proxy.isProxyClass(result.getClass())) {
                return collection(collection, guard, onFailure);
            }
            if (result instanceof MongoDatabase database && !Proxy.isProxyClass(result.getClass())) {
                return database(database, guard, onFailure);
            }
            if (onFailure != null && result != null && declared.isInterface()
                    && declared.getPackageName().equals(DRIVER_PACKAGE) && !Proxy.isProxyClass(result.getClass())) {
                // FindIterable, AggregateIterable, MongoCursor...: failures surface when they are iterated
                return Proxy.newProxyInstance(RegionBoundProxies.class.getClassLoader(), new Class<?>[] {declared},
                        new Handler(result, null, onFailure, false));
            }
            return result;
        }

        private void checkDocuments(Method method, Object[] args) {
            String name = method.getName();
            Class<?>[] types = method.getParameterTypes();
            MongoCollection<?> collection = (MongoCollection<?>) delegate;
            if (SINGLE_DOCUMENT_WRITES.contains(name)) {
                for (int i = 0; i < types.length; i++) {
                    if (types[i] == Object.class) { // the erased document type T
                        guard.check(args[i], collection.getCodecRegistry());
                    }
                }
            } else if (UPDATES.contains(name)) {
                int bsonSeen = 0;
                for (int i = 0; i < types.length; i++) {
                    if (types[i] == Bson.class && ++bsonSeen == 2) { // (filter, update, ...)
                        guard.checkUpdate((Bson) args[i], collection.getCodecRegistry());
                    }
                }
            } else if (name.equals("insertMany") || name.equals("bulkWrite")) {
                for (int i = 0; i < types.length; i++) {
                    if (types[i] == List.class) {
                        for (Object element : (List<?>) args[i]) {
                            checkElement(element, collection);
                        }
                    }
                }
            }
        }

        private void checkElement(Object element, MongoCollection<?> collection) {
            if (element instanceof InsertOneModel<?> insert) {
                guard.check(insert.getDocument(), collection.getCodecRegistry());
            } else if (element instanceof ReplaceOneModel<?> replace) {
                guard.check(replace.getReplacement(), collection.getCodecRegistry());
            } else if (element instanceof UpdateOneModel<?> update) {
                guard.checkUpdate(update.getUpdate(), collection.getCodecRegistry());
            } else if (element instanceof UpdateManyModel<?> update) {
                guard.checkUpdate(update.getUpdate(), collection.getCodecRegistry());
            } else if (!(element instanceof com.mongodb.client.model.WriteModel<?>)) {
                guard.check(element, collection.getCodecRegistry());
            }
        }
    }
}
