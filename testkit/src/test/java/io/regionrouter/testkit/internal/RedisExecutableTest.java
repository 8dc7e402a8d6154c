package io.regionrouter.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisExecutableTest {

    @Test
    void findOnPath_findsTheFirstExecutableRedisServer(@TempDir Path tmp) throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path notExecutable = Files.createDirectory(tmp.resolve("plain"));
        Files.createFile(notExecutable.resolve("redis-server"));
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path exe = Files.createFile(bin.resolve("redis-server"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        String path = String.join(File.pathSeparator, empty.toString(), notExecutable.toString(), bin.toString());
        assertThat(RedisExecutable.findOnPath(path)).contains(exe);
    }

    @Test
    void findOnPath_withoutMatch_isEmpty(@TempDir Path tmp) {
        assertThat(RedisExecutable.findOnPath(tmp.toString())).isEmpty();
        assertThat(RedisExecutable.findOnPath(null)).isEmpty();
        assertThat(RedisExecutable.findOnPath("")).isEmpty();
    }
}
