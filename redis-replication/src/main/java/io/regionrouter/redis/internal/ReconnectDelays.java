package io.regionrouter.redis.internal;

import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.EventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.lettuce.core.tracing.Tracing;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every region connection a bounded reconnect delay. Lettuce's default backs off up to 30 s,
 * so a connection could stay down for many seconds after its server came back while the health
 * probe already saw the server again. Lettuce takes the delay from the {@link ClientResources}, so
 * resources this module creates are built with it, and resources an application shares are wrapped
 * in a view that changes nothing but the delay, and that never shuts them down.
 */
public final class ReconnectDelays {

    private ReconnectDelays() {
    }

    /** Returns the delay: exponential from 1 ms, capped at {@code max}. */
    public static Delay bounded(Duration max) {
        return Delay.exponential(Duration.ZERO, max, 2, TimeUnit.MILLISECONDS);
    }

    /** Returns new resources, owned by the caller, with the bounded delay. */
    public static ClientResources ownedResources(Duration max) {
        return DefaultClientResources.builder().reconnectDelay(bounded(max)).build();
    }

    /** Returns a view of an application's resources with the bounded delay; its shutdown does nothing. */
    public static ClientResources sharedResources(ClientResources shared, Duration max) {
        return new SharedView(shared, bounded(max));
    }

    /** Delegates everything but the reconnect delay and the shutdown, which belongs to the owner. */
    private static final class SharedView implements ClientResources {
        private final ClientResources shared;
        private final Delay delay;

        SharedView(ClientResources shared, Delay delay) {
            this.shared = shared;
            this.delay = delay;
        }

        @Override
        public Builder mutate() {
            return shared.mutate();
        }

        @Override
        public Future<Boolean> shutdown() {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(false);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
            return shutdown();
        }

        @Override
        public AddressResolverGroup<?> addressResolverGroup() {
            return shared.addressResolverGroup();
        }

        @Override
        public EventPublisherOptions commandLatencyPublisherOptions() {
            return shared.commandLatencyPublisherOptions();
        }

        @Override
        public CommandLatencyRecorder commandLatencyRecorder() {
            return shared.commandLatencyRecorder();
        }

        @Override
        public int computationThreadPoolSize() {
            return shared.computationThreadPoolSize();
        }

        @Override
        public EventBus eventBus() {
            return shared.eventBus();
        }

        @Override
        public EventLoopGroupProvider eventLoopGroupProvider() {
            return shared.eventLoopGroupProvider();
        }

        @Override
        public EventExecutorGroup eventExecutorGroup() {
            return shared.eventExecutorGroup();
        }

        @Override
        public int ioThreadPoolSize() {
            return shared.ioThreadPoolSize();
        }

        @Override
        public NettyCustomizer nettyCustomizer() {
            return shared.nettyCustomizer();
        }

        @Override
        public Delay reconnectDelay() {
            return delay;
        }

        @Override
        public SocketAddressResolver socketAddressResolver() {
            return shared.socketAddressResolver();
        }

        @Override
        public Timer timer() {
            return shared.timer();
        }

        @Override
        public Tracing tracing() {
            return shared.tracing();
        }
    }
}
