package io.regionrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their side effect on the thread
class RegionContextTest {

    private static final Region EU = Region.of("eu");
    private static final Region US = Region.of("us");

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
        assertThat(RegionContext.current()).as("tests must not leak a context").isEmpty();
    }

    @Test
    void openNone_hidesTheBoundContextUntilClosed_andTheRouterSeesNoContext() {
        RegionRouter router = RegionRouter.builder(Topology.builder().regions("us").local("us").primary("us").build())
                .directory(StaticRegionDirectory.builder().user("alice", "us").build()).build();
        try (RegionContext.Scope outer = RegionContext.forUser("alice").open()) {
            try (RegionContext.Scope none = RegionContext.openNone()) {
                assertThat(RegionContext.current()).isEmpty();
                assertThat(none.context()).isNull();
                assertThatThrownBy(() -> router.routeCurrent(Store.POSTGRES)).isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("no RegionContext is bound");
            }
            assertThat(RegionContext.current().flatMap(RegionContext::userId)).contains("alice");
        } finally {
            router.health().close();
        }
    }

    @Test
    void noScope_noContext() {
        assertThat(RegionContext.current()).isEmpty();
    }

    @Test
    void open_bindsUntilClosed() {
        RegionContext ctx = RegionContext.forUser("alice");
        try (RegionContext.Scope scope = ctx.open()) {
            assertThat(RegionContext.current()).contains(ctx);
            assertThat(scope.context()).isSameAs(ctx);
        }
        assertThat(RegionContext.current()).isEmpty();
    }

    @Test
    void nestedScopes_restoreTheOuterOne() {
        RegionContext outer = RegionContext.forUser("alice");
        RegionContext inner = RegionContext.forRegion(US).global(Access.READ);
        try (RegionContext.Scope o = outer.open()) {
            try (RegionContext.Scope i = inner.open()) {
                assertThat(RegionContext.current()).contains(inner);
            }
            assertThat(RegionContext.current()).contains(outer);
        }
        assertThat(RegionContext.current()).isEmpty();
    }

    @Test
    void closingTwice_isHarmless() {
        RegionContext outer = RegionContext.forUser("alice");
        try (RegionContext.Scope o = outer.open()) {
            RegionContext.Scope inner = RegionContext.forUser("bob").open();
            inner.close();
            inner.close();
            assertThat(RegionContext.current()).contains(outer);
        }
    }

    @Test
    void outerScopeClosedBeforeInner_leavesNoStaleContextBound() {
        RegionContext outer = RegionContext.forUser("alice");
        RegionContext inner = RegionContext.forUser("bob");
        RegionContext.Scope o = outer.open();
        RegionContext.Scope i = inner.open();
        o.close();
        assertThat(RegionContext.current()).as("the inner scope is still open").contains(inner);
        i.close();
        assertThat(RegionContext.current()).as("neither closed scope may stay bound").isEmpty();
    }

    @Test
    void outOfOrderCloseInsideAnOpenScope_restoresThatScope() {
        RegionContext base = RegionContext.forUser("base");
        try (RegionContext.Scope b = base.open()) {
            RegionContext.Scope o = RegionContext.forUser("alice").open();
            RegionContext.Scope i = RegionContext.forUser("bob").open();
            o.close();
            i.close();
            assertThat(RegionContext.current()).contains(base);
        }
    }

    @Test
    void scopeLeftOpenByAWrappedTask_doesNotLeakIntoThePoolThread() throws Exception {
        Runnable wrapped;
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            wrapped = RegionContext.wrap((Runnable) () -> {
                RegionContext.forUser("leaked").open(); // never closed
            });
        }
        pool.submit(wrapped).get(10, TimeUnit.SECONDS);
        assertThat(pool.submit(RegionContext::current).get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void closingOnAnotherThread_doesNotTouchEitherThread() throws Exception {
        RegionContext ctx = RegionContext.forUser("alice");
        try (RegionContext.Scope scope = ctx.open()) {
            CompletableFuture.runAsync(scope::close, pool).get(10, TimeUnit.SECONDS);
            assertThat(RegionContext.current()).contains(ctx);
        }
    }

    @Test
    void defaults_areRegulatedWrite_andWithersCopy() {
        RegionContext ctx = RegionContext.forUser("alice");
        assertThat(ctx.userId()).contains("alice");
        assertThat(ctx.region()).isEmpty();
        assertThat(ctx.dataClass()).isEqualTo(DataClass.REGULATED);
        assertThat(ctx.access()).isEqualTo(Access.WRITE);
        RegionContext read = ctx.withAccess(Access.READ);
        assertThat(read.access()).isEqualTo(Access.READ);
        assertThat(ctx.access()).isEqualTo(Access.WRITE);
        RegionContext global = ctx.global(Access.READ);
        assertThat(global.dataClass()).isEqualTo(DataClass.GLOBAL);
        assertThat(global.access()).isEqualTo(Access.READ);
        assertThat(ctx.withDataClass(DataClass.GLOBAL).dataClass()).isEqualTo(DataClass.GLOBAL);
        assertThat(RegionContext.of("bob", EU).region()).contains(EU);
        assertThat(RegionContext.forRegion(EU).userId()).isEmpty();
        assertThat(RegionContext.forUser("a")).isEqualTo(RegionContext.forUser("a"))
                .hasSameHashCodeAs(RegionContext.forUser("a"));
        assertThat(ctx.toString()).contains("alice", "REGULATED", "WRITE");
    }

    @Test
    void factories_rejectMissingParts() {
        assertThatThrownBy(() -> RegionContext.forUser(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RegionContext.forUser(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> RegionContext.forRegion(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void wrapRunnable_capturesAtWrapTime_andRestoresTheRunningThread() {
        RegionContext alice = RegionContext.forUser("alice");
        RegionContext bob = RegionContext.forUser("bob");
        AtomicReference<Optional<RegionContext>> seen = new AtomicReference<>();
        Runnable wrapped;
        try (RegionContext.Scope s = alice.open()) {
            wrapped = RegionContext.wrap(() -> seen.set(RegionContext.current()));
        }
        try (RegionContext.Scope s = bob.open()) {
            wrapped.run();
            assertThat(seen.get()).contains(alice);
            assertThat(RegionContext.current()).contains(bob);
        }
    }

    @Test
    void wrapRunnable_withoutContext_runsWithout() {
        AtomicReference<Optional<RegionContext>> seen = new AtomicReference<>();
        Runnable wrapped = RegionContext.wrap(() -> {
            seen.set(RegionContext.current());
        });
        try (RegionContext.Scope s = RegionContext.forUser("bob").open()) {
            wrapped.run();
            assertThat(RegionContext.current()).contains(RegionContext.forUser("bob"));
        }
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void wrapCallable_propagatesToAnotherThread() throws Exception {
        Callable<Optional<RegionContext>> wrapped;
        RegionContext ctx = RegionContext.of("alice", EU);
        try (RegionContext.Scope s = ctx.open()) {
            Callable<Optional<RegionContext>> task = RegionContext::current;
            wrapped = RegionContext.wrap(task);
        }
        assertThat(pool.submit(wrapped).get(10, TimeUnit.SECONDS)).contains(ctx);
        assertThat(pool.submit(RegionContext::current).get(10, TimeUnit.SECONDS))
                .as("pool thread is clean afterwards").isEmpty();
    }

    @Test
    void wrapExecutor_propagatesTheSubmittersContext_perTask() throws Exception {
        java.util.concurrent.Executor wrapped = RegionContext.wrap(pool);
        RegionContext alice = RegionContext.forUser("alice");
        RegionContext bob = RegionContext.forUser("bob");
        CompletableFuture<Optional<RegionContext>> first;
        CompletableFuture<Optional<RegionContext>> second;
        try (RegionContext.Scope s = alice.open()) {
            first = CompletableFuture.supplyAsync(RegionContext::current, wrapped);
        }
        try (RegionContext.Scope s = bob.open()) {
            second = CompletableFuture.supplyAsync(RegionContext::current, wrapped);
        }
        assertThat(first.get(10, TimeUnit.SECONDS)).contains(alice);
        assertThat(second.get(10, TimeUnit.SECONDS)).contains(bob);
        assertThat(CompletableFuture.supplyAsync(RegionContext::current, pool).get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void wrappedTaskThatThrows_stillRestoresContext() {
        Runnable wrapped;
        try (RegionContext.Scope s = RegionContext.forUser("alice").open()) {
            wrapped = RegionContext.wrap((Runnable) () -> {
                throw new IllegalStateException("task failed");
            });
        }
        assertThatThrownBy(wrapped::run).isInstanceOf(IllegalStateException.class);
        assertThat(RegionContext.current()).isEmpty();
    }
}
