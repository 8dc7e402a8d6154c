package io.regionrouter.jdbc.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The monitor on a class path without micrometer-core: region-router's classes are loaded again by
 * a class loader that cannot see {@code io.micrometer.core}.
 */
class WithoutMicrometerTest {

    /**
     * Loads io.regionrouter classes itself and refuses micrometer-core (io.micrometer.core); everything
     * else comes from the parent, micrometer-observation included, which region-router-core requires.
     */
    static final class HidingClassLoader extends ClassLoader {
        HidingClassLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("io.micrometer.core.")) {
                    throw new ClassNotFoundException(name);
                }
                if (!name.startsWith("io.regionrouter.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    @Test
    void monitor_buildsAndPolls_andRefusesAMeterRegistryClearly() throws Exception {
        ClassLoader loader = new HidingClassLoader(getClass().getClassLoader());
        assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);

        Class<?> support = loader.loadClass("io.regionrouter.jdbc.replication.internal.MicrometerSupport");
        assertThat(support.getMethod("isPresent").invoke(null)).isEqualTo(false);

        Class<?> monitorClass = loader.loadClass("io.regionrouter.jdbc.replication.ReplicationMonitor");
        Class<?> regionClass = loader.loadClass("io.regionrouter.core.Region");
        Object us = regionClass.getMethod("of", String.class).invoke(null, "us");
        Object builder = monitorClass.getMethod("builder").invoke(null);
        builder.getClass().getMethod("region", regionClass, DataSource.class).invoke(builder, us, UnreachableDataSource.create());

        assertThatThrownBy(() -> builder.getClass().getMethod("meterRegistry", Object.class).invoke(builder, new Object()))
                .isInstanceOf(InvocationTargetException.class).cause()
                .hasMessage("monitor.meterRegistry needs micrometer-core on the class path, but it is absent");

        Object monitor = builder.getClass().getMethod("build").invoke(builder);
        Object snapshot = monitorClass.getMethod("poll").invoke(monitor);
        assertThat(snapshot.toString()).contains("errors={us=unreachable}");
        monitorClass.getMethod("close").invoke(monitor);
    }
}
