package io.regionrouter.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.regionrouter.core.Region;
import io.regionrouter.redis.ClockOffsetException;
import io.regionrouter.redis.ForeignValueException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts the module runs inside Redis, with their SHA-1 digests (computed locally, so
 * {@code EVALSHA} can be tried before the script was ever loaded).
 */
public final class Scripts {

    /**
     * Applies a versioned write only if it is newer than what the key holds.
     *
     * <p>KEYS[1] = key; ARGV = v (16 hex digits), w (writer), f (flags), d (data), x (absolute expiry
     * ms or 0), t (until when the version is kept after x, 0 with x), r (the regions the write was sent
     * to). A write with an expiry keeps its key, version included, until t: once x has passed the value
     * reads as absent, but a late older write is still refused, so expiry never brings an older value
     * back. ARGV[8], when present and not 0, is the maximum clock offset in ms: a version further ahead
     * of the server's clock is refused with a {@value #FUTURE} error. Returns
     * {@code {1, v, w}} when applied, {@code {2, v, w}} when it arrived already expired and was kept as
     * a tombstone, {@code {0, storedV, storedW}} when the stored version is newer or equal.
     * Versions are compared as two 32-bit numbers (Lua's string comparison follows the server's
     * locale), and writers, on a tie, byte by byte: every region decides the same way.
     *
     * <p>A key that holds something this module did not write (another type, a hash without a
     * well-formed version) is left unchanged and the script answers with a {@value #FOREIGN} error
     * (the type is asked for only then: on the write path the {@code HMGET} reply says it):
     * compared as a version, a foreign {@code v} such as {@code "1"} would sort above every real one and
     * silently swallow every later write.
     *
     * <p>A key whose hash tag ({@code {alice}} in {@code {alice}:cart}, as Redis Cluster reads it)
     * names a user with a move marker {@code rr:moved:{alice}} ({@link MoveScripts}) is left unchanged:
     * the script answers {@value #FROZEN} while the user's move is frozen, {@value #MOVED} once the
     * user lives elsewhere. Checked in the same script as the write, so no write slips in after the marker.
     */
    public static final String APPLY = MoveScripts.FENCE_CHECK + Scripts.APPLY_BODY;

    /** {@link #APPLY} after its fence check; it ends with a {@code return} on every path. */
    static final String APPLY_BODY = """
            local v, w = ARGV[1], ARGV[2]
            local cur = redis.pcall('HMGET', KEYS[1], 'v', 'w', 'x')
            if cur['err'] then
              return redis.error_reply('RRFOREIGN a value of type ' .. redis.call('TYPE', KEYS[1])['ok'])
            end
            if cur[1] then
              local c = cur[1]
              if #c ~= 16 or not string.match(c, '^[0-9a-f]+$') then
                return redis.error_reply('RRFOREIGN a hash without a 16-hex-digit version field')
              end
              local sc, sv = tonumber(string.sub(c, 1, 8), 16), tonumber(string.sub(v, 1, 8), 16)
              if sc == sv then sc, sv = tonumber(string.sub(c, 9), 16), tonumber(string.sub(v, 9), 16) end
              if sc == sv then
                local a, b = cur[2] or '', w
                sc, sv = 0, 0
                for i = 1, math.min(#a, #b) do
                  sc, sv = string.byte(a, i), string.byte(b, i)
                  if sc ~= sv then break end
                end
                if sc == sv then sc, sv = #a, #b end
              end
              if sc >= sv then
                return {0, c, cur[2] or ''}
              end
            elseif redis.call('EXISTS', KEYS[1]) == 1 then
              return redis.error_reply('RRFOREIGN a hash without a 16-hex-digit version field')
            end
            local limit, x = ARGV[8], ARGV[5]
            local now
            if (limit and limit ~= '0') or x ~= '0' then
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            if limit and limit ~= '0' then
              local ahead = tonumber(string.sub(v, 1, 12), 16) - now
              if ahead > tonumber(limit) then
                return redis.error_reply('RRFUTURE version ' .. v .. ' of ' .. w .. ' is ' .. ahead
                  .. ' ms ahead of this server clock, more than the maximum clock offset of ' .. limit .. ' ms')
              end
            end
            if x ~= '0' and tonumber(x) <= now then
              redis.call('HSET', KEYS[1], 'v', v, 'w', w, 'f', '1', 'd', '', 'x', ARGV[6], 't', ARGV[6], 'r', ARGV[7])
              redis.call('PEXPIREAT', KEYS[1], ARGV[6])
              return {2, v, w}
            end
            redis.call('HSET', KEYS[1], 'v', v, 'w', w, 'f', ARGV[3], 'd', ARGV[4], 'x', x, 't', ARGV[6], 'r', ARGV[7])
            if x ~= '0' then
              local keep = ARGV[6]
              if keep == '0' or tonumber(keep) < tonumber(x) then keep = x end
              redis.call('PEXPIREAT', KEYS[1], keep)
            elseif cur[3] and cur[3] ~= '0' then
              redis.call('PERSIST', KEYS[1])
            end
            return {1, v, w}
            """;

    /**
     * Defines {@code append(k, fields, c, maxLength, maxBytes, instance, leaseMs, renew)}: appends one
     * entry to a hint stream and keeps both bounds, for {@link #APPEND_HINT} and
     * {@link ApplyAndQueueScript}. {@code k} is the index in KEYS of the stream, followed by the
     * overflow counter, the byte counter, the owners set and this instance's lease; {@code prefix} is
     * the stream key without the instance name; {@code fields} the entry's field and value pairs;
     * {@code c} the bytes it counts (the lengths of its field names and values, plus one eighth, plus
     * 64; {@link EnvelopeCodec#hintCost} is the same in Java, for the replayer to send back when it
     * removes the hint; measured against Redis 6.2's {@code MEMORY USAGE} of a hint stream, it came out
     * at or above the real figure for values from 20 bytes (1.4x) to 100 KB (1.03x to 1.12x)).
     *
     * <p>When no stream of the target holds a hint, the byte counter is reset first, so it can never
     * stay behind streams that were deleted. An entry that would take the byte counter past
     * {@code maxBytes} is not appended: {@code {-1, used, c}}. Otherwise it is appended, the oldest
     * entries of this stream past {@code maxLength} are deleted (their count is added to the overflow
     * counter, their bytes taken off the byte counter): {@code {dropped, used, c}}. This instance is
     * added to the owners and its lease set when its stream was empty, and on every append when
     * {@code renew} is true.
     */
    private static final String APPEND_FUNCTION = """
            local function cost(fields)
              local n = 0
              for i = 1, #fields do n = n + #fields[i] end
              return math.floor(n * 9 / 8) + 64
            end
            local function append(k, prefix, fields, c, maxLength, maxBytes, instance, leaseMs, renew)
              local len = redis.call('XLEN', KEYS[k])
              if len == 0 then
                local total = 0
                for _, owner in ipairs(redis.call('SMEMBERS', KEYS[k + 3])) do
                  total = total + redis.call('XLEN', prefix .. owner)
                end
                if total == 0 then redis.call('DEL', KEYS[k + 2]) end
              end
              local used = redis.call('INCRBY', KEYS[k + 2], c)
              if used > maxBytes then
                return {-1, redis.call('DECRBY', KEYS[k + 2], c), c}
              end
              redis.call('XADD', KEYS[k], '*', unpack(fields))
              if len == 0 or renew then
                redis.call('SADD', KEYS[k + 3], instance)
                redis.call('SET', KEYS[k + 4], '1', 'PX', leaseMs)
              end
              local dropped = 0
              local excess = len + 1 - maxLength
              if excess > 0 then
                local oldest = redis.call('XRANGE', KEYS[k], '-', '+', 'COUNT', excess)
                local freed = 0
                for _, entry in ipairs(oldest) do
                  freed = freed + cost(entry[2])
                  redis.call('XDEL', KEYS[k], entry[1])
                end
                dropped = #oldest
                used = redis.call('DECRBY', KEYS[k + 2], freed)
                redis.call('INCRBY', KEYS[k + 1], dropped)
              end
              return {dropped, used, c}
            end
            """;

    /**
     * Appends a hint to this instance's own stream and keeps it within both bounds (the append function
     * the combined apply-and-queue script shares, with the lease renewed on every append, so a live
     * instance's stream is never taken over, even just after its Redis restarted empty).
     *
     * <p>KEYS[1] = this instance's hint stream, KEYS[2] = overflow counter, KEYS[3] = byte counter,
     * KEYS[4] = the set of instances with a stream for the target, KEYS[5] = this instance's lease;
     * ARGV[1] = maximum length of the stream, ARGV[2] = maximum bytes over every stream of the target,
     * ARGV[3] = this instance's name, ARGV[4] = lease in ms, ARGV[5] = the stream key without the
     * instance name, then field and value pairs. Replies {@code {dropped, used, cost}}, or
     * {@code {-1, used, cost}} when the hint was refused.
     */
    public static final String APPEND_HINT = APPEND_FUNCTION + """
            local fields = {}
            for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
            return append(1, ARGV[5], fields, cost(fields), tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4],
              true)
            """;

    /**
     * Acknowledges and deletes replayed hints and takes their bytes off the byte counter.
     *
     * <p>KEYS[1] = hint stream, KEYS[2] = byte counter, KEYS[3] = the set of instances with a stream,
     * KEYS[4] = the lease of the stream's owner, KEYS[5] = the count of the owner's hints that others
     * removed; ARGV[1] = consumer group, ARGV[2] = the stream owner's name, ARGV[3] = the remover's name,
     * then pairs of entry id and its cost ({@link EnvelopeCodec#hintCost}, computed by the replayer
     * from the entry it read). An id that is no longer in the stream frees nothing. The counter is
     * removed when it reaches zero. A stream left empty whose owner holds no lease (it stopped) is
     * deleted and its owner forgotten. Returns the number of entries deleted.
     */
    public static final String REMOVE_HINTS = """
            local freed = 0
            local deleted = 0
            local ids = {}
            for i = 4, #ARGV, 2 do
              ids[#ids + 1] = ARGV[i]
              if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 then
                deleted = deleted + 1
                freed = freed + tonumber(ARGV[i + 1])
              end
            end
            for i = 1, #ids, 500 do
              redis.call('XACK', KEYS[1], ARGV[1], unpack(ids, i, math.min(i + 499, #ids)))
            end
            if freed > 0 then
              local left = redis.call('DECRBY', KEYS[2], freed)
              if left <= 0 then redis.call('DEL', KEYS[2]) end
            end
            local stopped = redis.call('EXISTS', KEYS[4]) == 0
            if deleted > 0 and ARGV[2] ~= ARGV[3] and not stopped then
              redis.call('INCRBY', KEYS[5], deleted)
            end
            if redis.call('XLEN', KEYS[1]) == 0 and stopped then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', KEYS[3], ARGV[2])
            end
            return deleted
            """;

    /**
     * Reads what an instance needs to check its ledger: KEYS[1] = its stream, KEYS[2] = the count of
     * its hints that others removed (taken and reset). Returns {@code {length, taken}}.
     */
    public static final String CHECK_LEDGER = """
            local taken = tonumber(redis.call('GET', KEYS[2]) or '0')
            if taken > 0 then redis.call('DEL', KEYS[2]) end
            return {redis.call('XLEN', KEYS[1]), taken}
            """;

    /**
     * Counts the hints waiting for a target over every instance's stream.
     *
     * <p>KEYS[1] = the set of instances with a stream; ARGV[1] = the stream key without the instance
     * name. Returns the sum of their lengths.
     */
    public static final String PENDING_HINTS = """
            local n = 0
            for _, owner in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              n = n + redis.call('XLEN', ARGV[1] .. owner)
            end
            return n
            """;

    /**
     * Forgets a stopped instance's stream once it is empty.
     *
     * <p>KEYS[1] = the stream, KEYS[2] = the set of instances with a stream, KEYS[3] = the owner's
     * lease; ARGV[1] = the owner's name. Returns 1 if the stream was forgotten.
     */
    public static final String RETIRE_STREAM = """
            if redis.call('EXISTS', KEYS[3]) == 0 and redis.call('XLEN', KEYS[1]) == 0 then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """;

    /** Code of the error reply with which {@link #APPLY} refuses a version too far in the future. */
    public static final String FUTURE = "RRFUTURE";

    /** Code of the error reply with which {@link #APPLY} refuses to touch a foreign value. */
    public static final String FOREIGN = "RRFOREIGN";

    /** Code of the error reply with which {@link #APPLY} refuses a write of a user whose move is frozen. */
    public static final String FROZEN = MoveScripts.FROZEN;

    /** Code of the error reply with which {@link #APPLY} refuses a write of a user who moved away. */
    public static final String MOVED = MoveScripts.MOVED;

    /** SHA-1 of {@link #APPLY}. */
    public static final String APPLY_SHA = sha1(APPLY);
    /** {@link #APPEND_HINT}'s function, for {@link ApplyAndQueueScript}. */
    static String appendFunction() {
        return APPEND_FUNCTION;
    }

    /** SHA-1 of {@link #APPEND_HINT}. */
    public static final String APPEND_HINT_SHA = sha1(APPEND_HINT);
    /** SHA-1 of {@link #REMOVE_HINTS}. */
    public static final String REMOVE_HINTS_SHA = sha1(REMOVE_HINTS);
    /** SHA-1 of {@link #CHECK_LEDGER}. */
    public static final String CHECK_LEDGER_SHA = sha1(CHECK_LEDGER);
    /** SHA-1 of {@link #PENDING_HINTS}. */
    public static final String PENDING_HINTS_SHA = sha1(PENDING_HINTS);
    /** SHA-1 of {@link #RETIRE_STREAM}. */
    public static final String RETIRE_STREAM_SHA = sha1(RETIRE_STREAM);

    private Scripts() {
    }

    /**
     * Turns the {@value #FOREIGN} error reply of {@link #APPLY} into a {@link ForeignValueException};
     * returns any other failure as it is.
     */
    public static Throwable translate(Throwable failure, String key, Region region) {
        if (failure instanceof RedisCommandExecutionException reply && reply.getMessage() != null
                && reply.getMessage().startsWith(FOREIGN + " ")) {
            return new ForeignValueException(key, region, reply.getMessage().substring(FOREIGN.length() + 1), reply);
        }
        if (failure instanceof RedisCommandExecutionException reply && reply.getMessage() != null
                && reply.getMessage().startsWith(FUTURE + " ")) {
            return new ClockOffsetException(key, region, reply.getMessage().substring(FUTURE.length() + 1), reply);
        }
        return MoveScripts.translate(failure, key, region);
    }

    static String sha1(String script) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
