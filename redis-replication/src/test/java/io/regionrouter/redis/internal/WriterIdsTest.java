package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriterIdsTest {

    @Test
    void instanceIds_areUniqueForOneName_andKeepTheNameReadable() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(WriterIds.newInstanceId("app-1"));
        }
        assertThat(ids).hasSize(10_000).allMatch(id -> id.startsWith("app-1.") && id.matches("[A-Za-z0-9._-]{1,80}"));
        assertThat(WriterIds.newInstanceId(null)).doesNotContain(".").matches("[a-z0-9]+-[a-z2-7]{12}");
    }
}
