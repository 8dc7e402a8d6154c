package io.regionrouter.mongo.internal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.micrometer.observation.Observation;
import io.regionrouter.core.OutcomeUnknownException;
import io.regionrouter.core.RegionUnavailableException;
import io.regionrouter.core.StoreHealth;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Dynamic proxies around a region's {@link MongoDatabase} and {@link MongoCollection}, and around the
 * iterables and cursors they hand out, where read failures actually surface. For every call they:
 *
 * <ul>
 *   <li>refuse a document write the binding's write check rejects, and have the residency guard
 *       inspect every call that can write documents (inserts, replaces, updates, bulk writes,
 *       aggregations with {@code $out}/{@code $merge}, map-reduce into a collection, {@code runCommand};
 *       see {@link GuardedArguments}), before anything is sent;</li>
 *   <li>tell the store's health what the call says about the server ({@link FailureClassifier}): a
 *       call that talked to the server and returned, or failed on the server's error reply, is a
 *       success; only "could not reach" and "did not answer" are failures; cursors report failures
 *       only, so that a long iteration does not outweigh them;</li>
 *   <li>turn a document write that was sent but got no answer into {@link OutcomeUnknownException}:
 *       it may have been applied. A write that never left the client ({@link SentCommands}), or that
 *       the driver labelled {@value FailureClassifier#NO_WRITES_PERFORMED}, keeps the driver's
 *       exception.</li>
 * </ul>
 *
 * A proxy rather than a hand-written delegate keeps pace with driver releases that add methods.
 */
public final class RegionBoundProxies {

    private RegionBoundProxies() {
    }

    /** Wraps a collection. */
    @SuppressWarnings("unchecked")
    public static <T> MongoCollection<T> collection(MongoCollection<T> delegate, RegionBinding binding) {
        return (MongoCollection<T>) proxy(MongoCollection.class, delegate, binding);
    }

    /** Wraps a database; every collection, iterable and cursor it hands out is wrapped too. */
    public static MongoDatabase database(MongoDatabase delegate, RegionBinding binding) {
        return (MongoDatabase) proxy(MongoDatabase.class, delegate, binding);
    }

    private static Object proxy(Class<?> type, Object delegate, RegionBinding binding) {
        return Proxy.newProxyInstance(RegionBoundProxies.class.getClassLoader(), new Class<?>[] {type},
                new Handler(delegate, binding, DriverMethods.isCursorType(type)));
    }

    private static final class Handler implements InvocationHandler {
        private final Object delegate;
        private final RegionBinding binding;
        private final boolean cursor;

        Handler(Object delegate, RegionBinding binding, boolean cursor) {
            this.delegate = delegate;
            this.binding = binding;
            this.cursor = cursor;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "RegionBound{" + binding.region() + ", "
                            + (binding.guard() == null ? "unguarded" : binding.guard()) + ", " + delegate + "}";
                };
            }
            if (binding.exact() && !cursor && binding.health() != null && !binding.health().isUp()
                    && DriverMethods.talksToServer(method)) {
                throw new RegionUnavailableException("region " + binding.region() + " is DOWN for MongoDB and was named"
                        + " explicitly (forRegion); " + method.getName() + " is refused, never sent elsewhere",
                        binding.userId(), List.of(binding.region()), null);
            }
            boolean write = DriverMethods.isDocumentWrite(method);
            if (write && binding.writeCheck() != null) {
                binding.writeCheck().run();
            }
            if (binding.guard() != null && GuardedArguments.check(binding.guard(), delegate, method, args)
                    && !write && binding.writeCheck() != null) {
                binding.writeCheck().run(); // runCommand of a write command
            }
            SentCommands sent = binding.sent();
            long sentBefore = write && sent != null ? sent.count() : 0;
            Observation observation = observe(method);
            Object result;
            try {
                result = method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                boolean maybeSent = write && (sent == null || sent.count() != sentBefore);
                Throwable thrown = failed(method, maybeSent, e.getCause());
                CallObservation.failed(observation, e.getCause(), thrown);
                throw thrown;
            } finally {
                CallObservation.stop(observation);
            }
            StoreHealth health = binding.health();
            if (health != null && !cursor && DriverMethods.talksToServer(method)) {
                health.recordSuccess();
            }
            return rewrap(method, result);
        }

        private Throwable failed(Method method, boolean writeMaybeSent, Throwable failure) {
            CallVerdict verdict = FailureClassifier.classify(failure);
            StoreHealth health = binding.health();
            if (health != null) {
                if (verdict.isFailure()) {
                    health.recordFailure(failure);
                } else if (verdict == CallVerdict.ANSWERED) {
                    health.recordSuccess();
                }
            }
            if (writeMaybeSent && verdict.mayHaveBeenApplied() && !FailureClassifier.noWritesPerformed(failure)) {
                return new OutcomeUnknownException(method.getName() + " on " + target() + " in the " + binding.region()
                        + " MongoDB cluster may have been applied: it may have reached the server, but no answer was received ("
                        + failure.getClass().getSimpleName() + ": " + failure.getMessage() + "). Retry it only if it is"
                        + " idempotent, or read back first", failure, binding.userId(), binding.region());
            }
            return failure;
        }

        /** The started observation of a call that talks to the server, or null when not observed. */
        private Observation observe(Method method) {
            if (binding.observations() == null || cursor || !DriverMethods.talksToServer(method)) {
                return null;
            }
            return CallObservation.start(binding.observations(), binding.region(), method.getName());
        }

        /** One of these proxies already; another library's proxy (a decorator, a mock) is wrapped like any delegate. */
        private static boolean isOurs(Object result) {
            return Proxy.isProxyClass(result.getClass()) && Proxy.getInvocationHandler(result) instanceof Handler;
        }

        private String target() {
            return delegate instanceof MongoCollection<?> collection
                    ? collection.getNamespace().getFullName() : "an aggregation's output collection";
        }

        private Object rewrap(Method method, Object result) {
            if (result == null || isOurs(result)) {
                return result;
            }
            if (result instanceof MongoCollection<?> collection) {
                return collection(collection, binding);
            }
            if (result instanceof MongoDatabase database) {
                return database(database, binding);
            }
            if (DriverMethods.returnsDriverInterface(method)) {
                // FindIterable, AggregateIterable, MongoCursor...: failures surface when they are iterated
                return proxy(method.getReturnType(), result, binding);
            }
            return result;
        }
    }
}
