package io.regionrouter.jdbc.replication;

import java.lang.reflect.Proxy;
import java.sql.SQLNonTransientConnectionException;
import javax.sql.DataSource;

/** A data source whose every connection attempt fails, for tests that must not touch a database. */
final class UnreachableDataSource {

    private UnreachableDataSource() {
    }

    static DataSource create() {
        return (DataSource) Proxy.newProxyInstance(UnreachableDataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getConnection" -> throw new SQLNonTransientConnectionException("unreachable", "08001");
                    case "toString" -> "UnreachableDataSource";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
