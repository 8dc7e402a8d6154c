package io.regionrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.jdbc.internal.LazyConnection;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LazyConnectionTest {

    /** Records the calls on the physical connection and which kind was opened. */
    static final class Source implements LazyConnection.TargetSource {
        final List<String> calls = new ArrayList<>();
        Boolean openedReadOnly;
        int beforeClose;

        @Override
        public Connection open(boolean readOnly) {
            openedReadOnly = readOnly;
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        calls.add(method.getName() + (args == null ? "" : args.length == 1 ? "(" + args[0] + ")" : "(...)"));
                        return switch (method.getName()) {
                            case "getAutoCommit", "isReadOnly" -> false;
                            case "hashCode" -> 1;
                            default -> null;
                        };
                    });
        }

        @Override
        public void beforeClose(Connection target) {
            beforeClose++;
        }

        @Override
        public String describe() {
            return openedReadOnly ? "replica" : "primary";
        }
    }

    @Test
    void springReadOnlyTransaction_setsReadOnlyBeforeFirstUse_andTheTargetIsChosenReadOnly() throws SQLException {
        Source source = new Source();
        Connection c = LazyConnection.create(source);

        // what DataSourceTransactionManager does for @Transactional(readOnly = true)
        c.setReadOnly(true);
        assertThat(c.getAutoCommit()).isTrue();
        c.setAutoCommit(false);
        assertThat(source.openedReadOnly).as("nothing opened yet").isNull();

        c.prepareStatement("SELECT 1");
        c.commit();
        c.setReadOnly(false);
        c.setAutoCommit(true);
        c.close();

        assertThat(source.openedReadOnly).isTrue();
        assertThat(source.calls).containsExactly("setReadOnly(true)", "setAutoCommit(false)", "prepareStatement(SELECT 1)",
                "commit", "setReadOnly(false)", "setAutoCommit(true)", "close");
        assertThat(source.beforeClose).isEqualTo(1);
    }

    @Test
    void connectionNeverUsed_opensNothing_andCommitsNothing() throws SQLException {
        Source source = new Source();
        Connection c = LazyConnection.create(source);

        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        c.commit();
        c.rollback();
        assertThat((Object) c.getWarnings()).isNull();
        assertThat(c.isValid(1)).isTrue();
        c.close();
        c.close();

        assertThat(source.openedReadOnly).isNull();
        assertThat(source.beforeClose).isZero();
        assertThat(c.isClosed()).isTrue();
        assertThat(c.isValid(1)).isFalse();
        assertThat(c.toString()).isEqualTo("LazyConnection[not opened, closed]");
    }

    @Test
    void recordedSettings_areAppliedToTheTarget_atFirstUse() throws SQLException {
        Source source = new Source();
        Connection c = LazyConnection.create(source);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setAutoCommit(false);

        c.createStatement();

        assertThat(source.openedReadOnly).isFalse();
        assertThat(source.calls).containsExactly("setAutoCommit(false)", "setTransactionIsolation(4)", "createStatement");
        assertThat(c.toString()).isEqualTo("LazyConnection[primary]");
    }

    @Test
    void closedConnection_refusesUse() throws SQLException {
        Connection c = LazyConnection.create(new Source());
        c.close();

        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class).hasMessage("connection is closed");
    }

    @Test
    void unwrap_returnsTheProxyForConnection_andIdentityEquality() throws SQLException {
        Connection c = LazyConnection.create(new Source());

        assertThat(c.unwrap(Connection.class)).isSameAs(c);
        assertThat(c.isWrapperFor(Connection.class)).isTrue();
        assertThat(c).isEqualTo(c).isNotEqualTo(LazyConnection.create(new Source()));
    }

    @Test
    void failureOfTheTarget_propagatesTheSqlException() {
        Connection c = LazyConnection.create(new LazyConnection.TargetSource() {
            @Override
            public Connection open(boolean readOnly) throws SQLException {
                throw new SQLException("no region", "08001");
            }

            @Override
            public void beforeClose(Connection target) {
            }

            @Override
            public String describe() {
                return null;
            }
        });

        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class).hasMessage("no region");
    }
}
