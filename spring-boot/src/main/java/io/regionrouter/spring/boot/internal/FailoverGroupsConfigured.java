package io.regionrouter.spring.boot.internal;

import io.regionrouter.spring.boot.RegionRouterFailoverProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code region-router.failover.groups} names at least one region. */
public final class FailoverGroupsConfigured extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, RegionRouterFailoverProperties.Group> groups = Binder.get(context.getEnvironment())
                .bind("region-router.failover.groups", Bindable.mapOf(String.class, RegionRouterFailoverProperties.Group.class))
                .orElse(Map.of());
        return groups.isEmpty() ? ConditionOutcome.noMatch("region-router.failover.groups names no region")
                : ConditionOutcome.match("region-router.failover.groups names " + groups.keySet());
    }
}
