package io.regionrouter.spring.boot;

import io.micrometer.observation.ObservationRegistry;
import io.regionrouter.core.CachingRegionDirectory;
import io.regionrouter.core.HealthConfig;
import io.regionrouter.core.MdcObservationHandler;
import io.regionrouter.core.RegionDirectory;
import io.regionrouter.core.RegionEventListener;
import io.regionrouter.core.RegionHealth;
import io.regionrouter.core.RegionRouter;
import io.regionrouter.core.StaticRegionDirectory;
import io.regionrouter.core.Topology;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.TaskDecorator;

/**
 * Configures the router when {@code region-router.local} is set: the {@link Topology}, the
 * {@link RegionHealth} shared by every store, the cached directory of home regions, the
 * {@link RegionRouter} and a {@link TaskDecorator} that carries the caller's region context into
 * Spring's executors ({@code @Async} included). Every bean backs off when the application declares
 * its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(RegionRouterProperties.class)
@ConditionalOnProperty(prefix = "region-router", name = "local")
public class RegionRouterAutoConfiguration {

    /**
     * The topology from {@code region-router.regions}, {@code local}, {@code primary},
     * {@code proximity}, {@code residency} and {@code multi-writer}.
     *
     * @param properties the settings
     * @return the topology
     */
    @Bean
    @ConditionalOnMissingBean
    public Topology regionTopology(RegionRouterProperties properties) {
        return Topologies.from(properties);
    }

    /**
     * Health per region and store, probed on {@code region-router.health.*}.
     *
     * {@link RegionEventListener} beans are added once every singleton exists, so a listener may
     * itself depend on the health monitor.
     *
     * @param properties the settings
     * @return the health monitor, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RegionHealth regionHealth(RegionRouterProperties properties) {
        RegionRouterProperties.Health h = properties.getHealth();
        HealthConfig config = HealthConfig.builder().interval(h.getInterval()).timeout(h.getTimeout())
                .failureThreshold(h.getFailureThreshold()).successThreshold(h.getSuccessThreshold()).callWindow(h.getCallWindow())
                .minimumCalls(h.getMinimumCalls()).failureRateThreshold(h.getFailureRateThreshold()).build();
        return RegionHealth.builder().config(config).build();
    }

    /**
     * Adds the application's {@link RegionEventListener} beans to the health monitor, for
     * {@code RegionStateChangedEvent}s, once every singleton exists.
     *
     * @param health the health monitor
     * @param listeners the listeners
     * @return the registrar
     */
    @Bean
    public SmartInitializingSingleton regionHealthListeners(RegionHealth health, ObjectProvider<RegionEventListener> listeners) {
        return () -> listeners.orderedStream().forEach(health::addListener);
    }

    /**
     * The static directory, for {@code region-router.directory.type=static}.
     *
     * @param properties the settings
     * @return the directory of {@code region-router.directory.users}
     */
    @Bean
    @ConditionalOnMissingBean(value = RegionDirectory.class, ignored = CachingRegionDirectory.class)
    @ConditionalOnProperty(prefix = "region-router.directory", name = "type", havingValue = "static")
    public StaticRegionDirectory staticRegionDirectory(RegionRouterProperties properties) {
        StaticRegionDirectory.Builder builder = StaticRegionDirectory.builder();
        properties.getDirectory().getUsers().forEach(builder::user);
        return builder.build();
    }

    /**
     * The cache in front of the application's one directory (static, jdbc or its own bean).
     *
     * @param properties the settings
     * @param beans the context, to find the directory without creating this bean again
     * @return the caching directory
     */
    @Bean
    @ConditionalOnMissingBean(CachingRegionDirectory.class)
    public CachingRegionDirectory regionDirectory(RegionRouterProperties properties, ListableBeanFactory beans) {
        RegionRouterProperties.Directory d = properties.getDirectory();
        return CachingRegionDirectory.builder(source(beans)).maximumSize(d.getCacheMaximumSize())
                .expireAfterWrite(d.getCacheExpireAfterWrite()).refreshAfterWrite(d.getCacheRefreshAfterWrite())
                .negativeTtl(d.getCacheNegativeTtl()).build();
    }

    private static RegionDirectory source(ListableBeanFactory beans) {
        List<String> names = Arrays.stream(beans.getBeanNamesForType(RegionDirectory.class, false, true))
                .filter(name -> !CachingRegionDirectory.class.isAssignableFrom(beans.getType(name, false))).toList();
        if (names.size() != 1) {
            throw new IllegalStateException("region-router needs exactly one RegionDirectory to route by, but found "
                    + (names.isEmpty() ? "none" : names) + "; set region-router.directory.type=static with"
                    + " region-router.directory.users.<user>=<region>, or jdbc with region-router-jdbc and"
                    + " region-router.jdbc.regions.*, or declare one RegionDirectory bean");
        }
        return beans.getBean(names.get(0), RegionDirectory.class);
    }

    /**
     * The router.
     *
     * @param topology the topology
     * @param directory the cached directory
     * @param health the health monitor
     * @param listeners the application's event listeners
     * @param observations Spring Boot's observation registry, if any: each routing decision is observed
     * @return the router
     */
    @Bean
    @ConditionalOnMissingBean
    public RegionRouter regionRouter(Topology topology, CachingRegionDirectory directory, RegionHealth health,
            ObjectProvider<RegionEventListener> listeners, ObjectProvider<ObservationRegistry> observations) {
        RegionRouter.Builder builder = RegionRouter.builder(topology).directory(directory).health(health);
        listeners.orderedStream().forEach(builder::listener);
        observations.ifAvailable(builder::observationRegistry);
        return builder.build();
    }

    /**
     * Puts the region and store of region-router's observations into the logging MDC while their
     * scope is open; Spring Boot registers every {@code ObservationHandler} bean with its registry.
     *
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public MdcObservationHandler regionRouterMdcObservationHandler() {
        return new MdcObservationHandler();
    }

    /**
     * Carries the submitting thread's region context into tasks of Spring's executors.
     *
     * @return the decorator
     */
    @Bean
    @ConditionalOnMissingBean(TaskDecorator.class)
    public TaskDecorator regionContextTaskDecorator() {
        return new RegionContextTaskDecorator();
    }
}
