package io.regionrouter.spring.boot;

import io.regionrouter.core.RegionContext;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task with the region context of the thread that submitted it, and restores the worker
 * thread's own context afterwards. Spring Boot applies a single {@code TaskDecorator} bean to the
 * executors it configures, {@code @Async}'s included. An application with its own decorator can
 * compose this one into it.
 */
public final class RegionContextTaskDecorator implements TaskDecorator {

    @Override
    public Runnable decorate(Runnable runnable) {
        return RegionContext.wrap(runnable);
    }
}
