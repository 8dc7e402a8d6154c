package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.regionrouter.core.Region;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;
import org.junit.jupiter.api.Test;

class MoveScriptsTest {

    @Test
    void hashTag_isReadAsRedisClusterReadsIt() {
        assertThat(MoveScripts.hashTag("{alice}:cart")).isEqualTo("alice");
        assertThat(MoveScripts.hashTag("session:{alice}")).isEqualTo("alice");
        assertThat(MoveScripts.hashTag("a{}{alice}")).as("an empty first tag is no tag").isNull();
        assertThat(MoveScripts.hashTag("{al{ice}x}")).isEqualTo("al{ice");
        assertThat(MoveScripts.hashTag("alice")).isNull();
        assertThat(MoveScripts.hashTag("{alice")).isNull();
    }

    @Test
    void pattern_escapesGlobCharactersOfTheUserId() {
        assertThat(MoveScripts.pattern("alice")).isEqualTo("*{alice}*");
        assertThat(MoveScripts.pattern("a*b?[c]\\")).isEqualTo("*{a\\*b\\?\\[c\\]\\\\}*");
    }

    @Test
    void errorReplies_becomeTypedExceptions_withTheMoveTheyName() {
        Region eu = Region.of("eu");
        assertThat(MoveScripts.translate(new RedisCommandExecutionException("RRFROZEN alice"), "{alice}:k", eu))
                .isInstanceOfSatisfying(UserFrozenException.class, e -> {
                    assertThat(e.userId()).contains("alice");
                    assertThat(e.getMessage()).startsWith("write of key \"{alice}:k\" refused in region eu");
                });
        assertThat(MoveScripts.translate(new RedisCommandExecutionException("RRMOVED al ice M us 12"), "k", eu))
                .isInstanceOfSatisfying(UserMovedAwayException.class, e -> {
                    assertThat(e.userId()).contains("al ice");
                    assertThat(e.movedTo()).isEqualTo(Region.of("us"));
                    assertThat(e.epoch()).isEqualTo(12);
                });
        RedisCommandExecutionException other = new RedisCommandExecutionException("WRONGTYPE x");
        assertThat(MoveScripts.translate(other, "k", eu)).isSameAs(other);
        assertThat(Failures.classify(new UserFrozenException("k", "u", eu, null))).isEqualTo(FailureKind.ERROR_REPLY);
    }
}
