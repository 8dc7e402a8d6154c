package io.regionrouter.spring.boot.internal;

import io.regionrouter.spring.boot.RegionRouterJdbcProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code region-router.jdbc.regions} names at least one database. */
public final class JdbcRegionsConfigured extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, RegionRouterJdbcProperties.Database> regions = regions(context.getEnvironment());
        return regions.isEmpty() ? ConditionOutcome.noMatch("region-router.jdbc.regions names no database")
                : ConditionOutcome.match("region-router.jdbc.regions names " + regions.keySet());
    }

    /**
     * Whether the environment names at least one database.
     *
     * @param environment the environment
     * @return true if {@code region-router.jdbc.regions} is not empty
     */
    public static boolean in(Environment environment) {
        return !regions(environment).isEmpty();
    }

    private static Map<String, RegionRouterJdbcProperties.Database> regions(Environment environment) {
        return Binder.get(environment).bind("region-router.jdbc.regions",
                Bindable.mapOf(String.class, RegionRouterJdbcProperties.Database.class)).orElse(Map.of());
    }
}
