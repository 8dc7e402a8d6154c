package io.regionrouter.spring.boot.internal;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code region-router.<store>.regions} names at least one server, for Redis and MongoDB. */
public abstract class StoreRegionsConfigured extends SpringBootCondition {

    private final String prefix;

    StoreRegionsConfigured(String store) {
        this.prefix = "region-router." + store + ".regions";
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, String> regions = Binder.get(context.getEnvironment()).bind(prefix, Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return regions.isEmpty() ? ConditionOutcome.noMatch(prefix + " names no server")
                : ConditionOutcome.match(prefix + " names " + regions.keySet());
    }

    /** {@code region-router.redis.regions}. */
    public static final class Redis extends StoreRegionsConfigured {
        /** Creates the condition. */
        public Redis() {
            super("redis");
        }
    }

    /** {@code region-router.mongo.regions}. */
    public static final class Mongo extends StoreRegionsConfigured {
        /** Creates the condition. */
        public Mongo() {
            super("mongo");
        }
    }
}
