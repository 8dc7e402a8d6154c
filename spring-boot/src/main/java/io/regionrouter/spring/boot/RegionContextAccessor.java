package io.regionrouter.spring.boot;

import io.micrometer.context.ThreadLocalAccessor;
import io.regionrouter.core.RegionContext;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lets Micrometer's context propagation carry the {@link RegionContext} wherever it carries thread
 * locals: Reactor, Spring's {@code ContextPropagatingTaskDecorator}, and observations. Registered
 * through {@code META-INF/services}, so {@code ContextRegistry.getInstance()} finds it.
 *
 * <p>Each {@code setValue} opens a scope on the worker thread (an empty one when the captured thread
 * had no context) and each {@code restore} closes the latest, which puts back exactly what was bound
 * before.
 */
public final class RegionContextAccessor implements ThreadLocalAccessor<RegionContext> {

    /** The key the context is registered under. */
    public static final String KEY = "io.regionrouter.context";

    private static final ThreadLocal<Deque<RegionContext.Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

    @Override
    public Object key() {
        return KEY;
    }

    @Override
    public RegionContext getValue() {
        return RegionContext.current().orElse(null);
    }

    @Override
    public void setValue(RegionContext value) {
        SCOPES.get().push(value.open());
    }

    @Override
    public void setValue() {
        SCOPES.get().push(RegionContext.openNone());
    }

    @Override
    public void restore(RegionContext previousValue) {
        closeLatest();
    }

    @Override
    public void restore() {
        closeLatest();
    }

    private static void closeLatest() {
        Deque<RegionContext.Scope> scopes = SCOPES.get();
        RegionContext.Scope scope = scopes.poll();
        if (scope != null) {
            scope.close();
        }
        if (scopes.isEmpty()) {
            SCOPES.remove();
        }
    }
}
