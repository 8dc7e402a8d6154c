package io.regionrouter.core;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayDeque;
import java.util.Objects;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * Puts the region and the store of region-router's observations into the SLF4J MDC while their
 * scope is open, so every line the library (or the application) logs during a routed call carries
 * them: {@value #REGION} and {@value #STORE}. Only these two low-cardinality values are copied: no
 * user id, no key, no statement. The values that were in the MDC before a scope opened are restored
 * when it closes.
 *
 * <p>The trace id comes from the tracer: Micrometer Tracing's bridges put {@code traceId} and
 * {@code spanId} into the MDC while a span's scope is open, and region-router opens the scope of
 * each observation while it works for it, on whichever thread does (a Redis region's reply included).
 *
 * <p>Register it with the router's registry, once:
 * {@code registry.observationConfig().observationHandler(new MdcObservationHandler())}. The Spring
 * Boot starter registers it as a bean. With no registry, or a no-op one, nothing is observed and the
 * MDC is never touched.
 *
 * <p>Thread-safe: what it restores is kept per thread. It never throws.
 */
public final class MdcObservationHandler implements ObservationHandler<Observation.Context> {

    /** MDC key of the region an observation is about. */
    public static final String REGION = "region.router.region";
    /** MDC key of the store an observation is about. */
    public static final String STORE = "region.router.store";

    private static final String PREFIX = "region.router.";

    private final MDCAdapter mdc;
    private final ThreadLocal<ArrayDeque<String[]>> previous = ThreadLocal.withInitial(ArrayDeque::new);

    /** Writes to SLF4J's MDC. */
    public MdcObservationHandler() {
        this(MDC.getMDCAdapter());
    }

    /**
     * Writes to the given MDC.
     *
     * @param mdc the MDC adapter
     */
    public MdcObservationHandler(MDCAdapter mdc) {
        this.mdc = Objects.requireNonNull(mdc, "mdc must not be null");
    }

    /**
     * Every context: an observation picks its handlers before a convention names it, so the
     * name ({@code region.router.*} for the library's own) is checked when a scope opens.
     */
    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    private static boolean ours(Observation.Context context) {
        String name = context.getName();
        return name != null && name.startsWith(PREFIX);
    }

    @Override
    public void onScopeOpened(Observation.Context context) {
        if (!ours(context)) {
            return;
        }
        previous.get().push(new String[] {mdc.get(REGION), mdc.get(STORE)});
        put(REGION, value(context, REGION));
        put(STORE, value(context, STORE));
    }

    @Override
    public void onScopeClosed(Observation.Context context) {
        if (!ours(context)) {
            return;
        }
        String[] before = previous.get().poll();
        if (before != null) {
            restore(REGION, before[0]);
            restore(STORE, before[1]);
        }
    }

    /** All scopes of the thread were reset: what was saved for them no longer applies. */
    @Override
    public void onScopeReset(Observation.Context context) {
        ArrayDeque<String[]> saved = previous.get();
        String[] outermost = saved.peekLast();
        if (outermost != null) {
            restore(REGION, outermost[0]);
            restore(STORE, outermost[1]);
        }
        saved.clear();
    }

    /** A value set to none (a checkout before its region is known) is not a region: left as it was. */
    private void put(String key, String value) {
        if (value != null && !value.equals("none")) {
            mdc.put(key, value);
        }
    }

    private void restore(String key, String value) {
        if (value == null) {
            mdc.remove(key);
        } else {
            mdc.put(key, value);
        }
    }

    private static String value(Observation.Context context, String key) {
        KeyValue kv = context.getLowCardinalityKeyValue(key);
        return kv == null ? null : kv.getValue();
    }
}
