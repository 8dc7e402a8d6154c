package io.regionrouter.testkit.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.regionrouter.testkit.PostgresServer;
import io.regionrouter.testkit.ServerKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A PostgreSQL primary or standby managed by the testkit. Thread-safe. */
public final class PostgresServerImpl extends AbstractProxiedServer implements PostgresServer {

    private final RunContext context;
    private final Path dataDir;
    private final Path logFile;
    private final int directPort;
    private final String superPassword;
    private final String appPassword;
    private final boolean bootstrap;
    private volatile EmbeddedPostgres process;

    private PostgresServerImpl(RunContext context, String region, String name, Path dataDir, int directPort,
            String superPassword, String appPassword, boolean bootstrap) {
        super(region, ServerKind.POSTGRES, name);
        this.context = context;
        this.dataDir = dataDir;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.directPort = directPort;
        this.superPassword = superPassword;
        this.appPassword = appPassword;
        this.bootstrap = bootstrap;
    }

    /**
     * Creates a primary of a region; {@link #start(RunContext)} initializes and starts it.
     *
     * @param context the run
     * @param region the region
     * @return the server, not yet started
     */
    public static PostgresServerImpl primary(RunContext context, String region) {
        String name = region + "-" + ServerKind.POSTGRES.id();
        return new PostgresServerImpl(context, region, name, context.runDir().resolve(name), FreePorts.pick(),
                Secrets.password(), Secrets.password(), true);
    }

    @Override
    protected void startProcess(boolean first) {
        DataDirs.create(dataDir.getParent());
        process = PostgresLauncher.start(dataDir, directPort, context.postgresSettings(), superPassword, logFile,
                context.startTimeout());
        if (first && bootstrap) {
            PostgresBootstrap.run(dataDir, directPort, superPassword, appPassword);
        }
    }

    @Override
    protected void stopProcess() {
        EmbeddedPostgres p = process;
        process = null;
        if (p != null) {
            PostgresLauncher.stop(p, dataDir);
        }
    }

    @Override
    public int directPort() {
        return directPort;
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE;
    }

    @Override
    public String appUser() {
        return PostgresBootstrap.APP_USER;
    }

    @Override
    public String appPassword() {
        return appPassword;
    }

    @Override
    public String superUser() {
        return PostgresBootstrap.SUPER_USER;
    }

    @Override
    public String superPassword() {
        return superPassword;
    }

    @Override
    public DataSource superuserDataSource() {
        return dataSource(superUser(), superPassword);
    }

    @Override
    public DataSource appDataSource() {
        return dataSource(appUser(), appPassword);
    }

    private DataSource dataSource(String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(DATABASE);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    @Override
    public boolean isStandby() {
        return Files.exists(dataDir.resolve("standby.signal"));
    }

    @Override
    public PostgresServer createStandby() {
        return createStandby(region());
    }

    @Override
    public PostgresServer createStandby(String targetRegion) {
        context.standbyRegistry().checkRegion(targetRegion);
        if (!isRunning()) {
            throw new IllegalStateException(name() + " must be running to create a standby, but is stopped");
        }
        int n = context.nextStandbyNumber();
        String standbyName = targetRegion + "-postgres-standby-" + n;
        String slotName = "standby_" + n;
        Path standbyDir = context.runDir().resolve(standbyName);
        StandbyCloner.cloneInto(dataDir, directPort, superPassword, slotName,
                standbyName.replace('-', '_'), standbyDir);
        PostgresServerImpl standby = new PostgresServerImpl(context, targetRegion, standbyName, standbyDir,
                FreePorts.pick(), superPassword, appPassword, false);
        try {
            standby.start(context);
            context.standbyRegistry().register(targetRegion, standby);
        } catch (RuntimeException e) {
            try {
                standby.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            try {
                StandbyCloner.dropSlot(directPort, superPassword, slotName);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return standby;
    }

    /** Returns the data directory. */
    public Path dataDir() {
        return dataDir;
    }
}
