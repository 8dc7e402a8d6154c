package io.regionrouter.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.regionrouter.core.Region;
import io.regionrouter.core.UserFrozenException;
import io.regionrouter.core.UserMovedAwayException;

/**
 * The scripts and markers of moving a user's keys to another region. A user's keys are the keys
 * whose hash tag (the text between the first {@code {} and the next {@code }}, as Redis Cluster
 * reads it) is the user id; the user's move marker {@code rr:moved:{<user>}} lives in the same
 * slot. Its value is {@code F} while the move is frozen (with an expiry, so a freeze whose
 * migrating process died thaws by itself) and {@code M <region> <epoch>} once the user lives in
 * another region.
 */
public final class MoveScripts {

    /** Prefix of the move markers; the rest is {@code {<user>}}. */
    public static final String MARKER_PREFIX = "rr:moved:";

    /** Error code of a write refused while the user's move is frozen. */
    public static final String FROZEN = "RRFROZEN";

    /** Error code of a write refused because the user lives in another region now. */
    public static final String MOVED = "RRMOVED";

    /**
     * Lua run first in {@link Scripts#APPLY}: refuses a write to a key of a user with a move marker.
     * The hash tag is read exactly as Redis Cluster does (an empty {@code {}} is no tag).
     */
    static final String FENCE_CHECK = """
            do
              local s = string.find(KEYS[1], '{', 1, true)
              if s then
                local e = string.find(KEYS[1], '}', s + 1, true)
                if e and e > s + 1 then
                  local tag = string.sub(KEYS[1], s + 1, e - 1)
                  local mark = redis.call('GET', 'rr:moved:{' .. tag .. '}')
                  if mark then
                    if string.sub(mark, 1, 1) == 'F' then
                      return redis.error_reply('RRFROZEN ' .. tag)
                    end
                    return redis.error_reply('RRMOVED ' .. tag .. ' ' .. mark)
                  end
                end
              end
            end
            """;

    /** KEYS[1] = marker, ARGV[1] = bound in ms. Refuses (returns 0) over a moved marker, else freezes (1). */
    public static final String FREEZE = """
            local mark = redis.call('GET', KEYS[1])
            if mark and string.sub(mark, 1, 1) == 'M' then return 0 end
            redis.call('SET', KEYS[1], 'F', 'PX', ARGV[1])
            return 1
            """;

    /** KEYS[1] = marker. Removes the bound of a freeze; returns the ms it had left, -1 if held already, 0 if none. */
    public static final String HOLD = """
            if redis.call('GET', KEYS[1]) ~= 'F' then return 0 end
            local left = redis.call('PTTL', KEYS[1])
            if left == -1 then return -1 end
            redis.call('PERSIST', KEYS[1])
            return left
            """;

    /** KEYS[1] = marker. Removes a freeze, never a moved marker; returns 1 if one was removed. */
    public static final String UNFREEZE = """
            if redis.call('GET', KEYS[1]) == 'F' then redis.call('DEL', KEYS[1]) return 1 end
            return 0
            """;

    /**
     * KEYS[1] = key; ARGV = v, w, f, d, x, t, r, expire-at ms (0 for none). Makes the key hold exactly
     * these fields: the copy mirrors the source, which is the truth until the flip.
     */
    public static final String MIRROR = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'v', ARGV[1], 'w', ARGV[2], 'f', ARGV[3], 'd', ARGV[4], 'x', ARGV[5], 't', ARGV[6],
              'r', ARGV[7])
            if ARGV[8] ~= '0' then redis.call('PEXPIREAT', KEYS[1], ARGV[8]) end
            return 1
            """;

    public static final String FREEZE_SHA = Scripts.sha1(FREEZE);
    public static final String HOLD_SHA = Scripts.sha1(HOLD);
    public static final String UNFREEZE_SHA = Scripts.sha1(UNFREEZE);
    public static final String MIRROR_SHA = Scripts.sha1(MIRROR);

    private MoveScripts() {
    }

    /** The marker key of a user. */
    public static String marker(String userId) {
        return MARKER_PREFIX + "{" + userId + "}";
    }

    /** The hash tag of a key as Redis Cluster reads it, or null if it has none. */
    public static String hashTag(String key) {
        int s = key.indexOf('{');
        if (s < 0) {
            return null;
        }
        int e = key.indexOf('}', s + 1);
        return e > s + 1 ? key.substring(s + 1, e) : null;
    }

    /** A glob that matches every key whose hash tag may be {@code userId} (checked again with {@link #hashTag}). */
    public static String pattern(String userId) {
        StringBuilder out = new StringBuilder("*{");
        for (char c : userId.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append("}*").toString();
    }

    /** Turns the move error replies into typed exceptions; any other failure is returned as it is. */
    static Throwable translate(Throwable failure, String key, Region region) {
        if (!(failure instanceof RedisCommandExecutionException reply) || reply.getMessage() == null) {
            return failure;
        }
        String message = reply.getMessage();
        if (message.startsWith(FROZEN + " ")) {
            return new UserFrozenException("write of key \"" + key + "\"", message.substring(FROZEN.length() + 1), region, reply);
        }
        if (message.startsWith(MOVED + " ")) {
            // RRMOVED <user> M <region> <epoch>; the user id has no space (a hash tag can hold one, so parse from the end)
            String rest = message.substring(MOVED.length() + 1);
            String[] tail = rest.split(" ");
            String user = tail.length >= 4 ? rest.substring(0, rest.length() - (tail[tail.length - 1].length()
                    + tail[tail.length - 2].length() + 4)) : rest;
            Region movedTo = null;
            long epoch = -1;
            if (tail.length >= 4) {
                try {
                    movedTo = Region.of(tail[tail.length - 2]);
                    epoch = Long.parseLong(tail[tail.length - 1]);
                } catch (RuntimeException e) {
                    movedTo = null;
                }
            }
            return new UserMovedAwayException("write of key \"" + key + "\"", user, region, movedTo, epoch, reply);
        }
        return failure;
    }
}
