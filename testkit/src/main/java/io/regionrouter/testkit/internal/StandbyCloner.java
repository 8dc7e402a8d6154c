package io.regionrouter.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * Clones a running primary's data directory into a streaming standby's, without
 * {@code pg_basebackup}: a physical replication slot, {@code pg_backup_start} on one connection,
 * a file copy, the label from {@code pg_backup_stop}, then {@code standby.signal} and
 * {@code primary_conninfo}. Stateless.
 */
public final class StandbyCloner {

    // top-level files that belong to the running primary, not to a copy
    private static final Set<String> SKIP_FILES = Set.of("postmaster.pid", "postmaster.opts", "epg-lock",
            "backup_label", "backup_label.old", "tablespace_map", "standby.signal", "recovery.signal");
    // directories copied empty: the standby streams WAL from the slot, slots and runtime state stay behind
    private static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");

    private StandbyCloner() {
    }

    /**
     * Clones the primary into {@code targetDir}.
     *
     * @param primaryDir the primary's data directory
     * @param primaryPort the primary's own port, used for the copy and for streaming
     * @param superPassword the superuser's password
     * @param slotName the physical slot to create and stream from
     * @param applicationName the standby's name in {@code pg_stat_replication}
     * @param targetDir the standby's data directory, must not exist yet
     */
    public static void cloneInto(Path primaryDir, int primaryPort, String superPassword, String slotName,
            String applicationName, Path targetDir) {
        try (Connection c = PostgresBootstrap.connect(primaryPort, PostgresBootstrap.SUPER_USER, superPassword)) {
            query(c, "SELECT pg_create_physical_replication_slot(?, true)", slotName);
            try {
                copyAndConfigure(c, primaryDir, primaryPort, superPassword, slotName, applicationName, targetDir);
            } catch (SQLException | IOException | RuntimeException e) {
                // an unused slot would make the primary keep its WAL for as long as the run lasts
                try {
                    query(c, "SELECT pg_drop_replication_slot(?)", slotName);
                } catch (SQLException | RuntimeException dropFailure) {
                    e.addSuppressed(dropFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not clone the PostgreSQL on port " + primaryPort
                    + " into a standby with slot " + slotName, e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy " + primaryDir + " to " + targetDir, e);
        }
    }

    /**
     * Drops a replication slot on the primary, for a standby that could not be started.
     *
     * @param primaryPort the primary's own port
     * @param superPassword the superuser's password
     * @param slotName the slot
     * @throws IllegalStateException if the slot could not be dropped
     */
    public static void dropSlot(int primaryPort, String superPassword, String slotName) {
        try (Connection c = PostgresBootstrap.connect(primaryPort, PostgresBootstrap.SUPER_USER, superPassword)) {
            query(c, "SELECT pg_drop_replication_slot(?)", slotName);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop replication slot " + slotName + " on port " + primaryPort,
                    e);
        }
    }

    private static void copyAndConfigure(Connection c, Path primaryDir, int primaryPort, String superPassword,
            String slotName, String applicationName, Path targetDir) throws SQLException, IOException {
        query(c, "SELECT pg_backup_start(?, true)", slotName);
        String label;
        String spcmap;
        try {
            copyTree(primaryDir, targetDir);
        } finally {
            try (PreparedStatement ps = c.prepareStatement("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                label = rs.getString(1);
                spcmap = rs.getString(2);
            }
        }
        Files.writeString(targetDir.resolve("backup_label"), label, StandardCharsets.UTF_8);
        if (spcmap != null && !spcmap.isEmpty()) {
            Files.writeString(targetDir.resolve("tablespace_map"), spcmap, StandardCharsets.UTF_8);
        }
        Files.createFile(targetDir.resolve("standby.signal"));
        String conninfo = "host=127.0.0.1 port=" + primaryPort + " user=" + PostgresBootstrap.SUPER_USER
                + " password=" + superPassword + " application_name=" + applicationName;
        Files.writeString(targetDir.resolve("postgresql.auto.conf"),
                "\n# added by the region-router testkit\n"
                        + "primary_conninfo = '" + conninfo + "'\n"
                        + "primary_slot_name = '" + slotName + "'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static void query(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path rel = source.relativize(dir);
                Path copy = target.resolve(rel.toString());
                Files.createDirectories(copy);
                // PostgreSQL refuses a data directory that others may read
                Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(dir));
                if (rel.getNameCount() == 1 && EMPTY_DIRS.contains(rel.toString())) {
                    if (rel.toString().equals("pg_wal")) {
                        Files.createDirectories(target.resolve("pg_wal").resolve("archive_status"));
                        Files.createDirectories(target.resolve("pg_wal").resolve("summaries"));
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path rel = source.relativize(file);
                String fileName = file.getFileName().toString();
                if ((rel.getNameCount() == 1 && SKIP_FILES.contains(fileName))
                        || fileName.equals("pg_internal.init") || fileName.startsWith("pgsql_tmp")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, target.resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException e) {
                    // a file the server removed while we copied; the WAL replay recreates what matters
                    return FileVisitResult.CONTINUE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }
        });
    }
}
