package io.regionrouter.redis.internal;

/**
 * A write with batched regions, on a standalone local Redis, in one script call: applies it locally
 * exactly as {@link Scripts#APPLY} does, then appends it to the batch queue (the hint log) of every
 * batched target region. One call instead of two keeps a batched write as cheap for its caller as an
 * immediate one. (In a Redis Cluster the queue keys lie in other slots than the data key: there the
 * write and each append stay separate calls.)
 *
 * <p>When the local write is refused (a move fence, a foreign value, a version too far ahead) the
 * script answers with that error and queues nothing: the write as a whole is refused. A write
 * superseded locally is still queued, as an immediate write still goes to every region: each region
 * keeps the newest version.
 *
 * <p>Per target the append does what {@link Scripts#APPEND_HINT} does, with the same cost function,
 * so both bounds and the counters stay exact whichever script appended. The owners set and the lease
 * are written when the stream was empty; while it holds writes the shipper renews the lease each
 * round, so an append does not.
 *
 * <p>KEYS[1] = the data key, then five keys per target in the order of {@link Scripts#APPEND_HINT}
 * (stream, overflow counter, byte counter, owners, lease). ARGV[1..8] = the arguments of
 * {@link Scripts#APPLY}; ARGV[9] = maximum length, ARGV[10] = maximum bytes, ARGV[11] = this
 * instance's name, ARGV[12] = lease in ms, ARGV[13] = the number of targets n, ARGV[14 .. 13 + n] =
 * each target's stream key without the instance name. The queued entry is built from the data key
 * and the write's arguments (the fields of {@link EnvelopeCodec#toHint}), so the value crosses the
 * wire once. Replies {@code {applyReply, {dropped or -1, used, cost} per target}}.
 */
final class ApplyAndQueueScript {

    static final String SCRIPT = "local function apply()\n" + MoveScripts.FENCE_CHECK + Scripts.APPLY_BODY + """
            end
            local applied = apply()
            if applied['err'] then
              return applied
            end
            local fields = {'k', KEYS[1], 'v', ARGV[1], 'w', ARGV[2], 'f', ARGV[3], 'd', ARGV[4], 'x', ARGV[5],
              't', ARGV[6], 'r', ARGV[7]}
            local c = 0
            for i = 1, #fields do c = c + #fields[i] end
            c = math.floor(c * 9 / 8) + 64
            local maxLength, maxBytes = tonumber(ARGV[9]), tonumber(ARGV[10])
            local n = tonumber(ARGV[13])
            local out = {applied}
            for t = 1, n do
              local k = 1 + (t - 1) * 5
              local len = redis.call('XLEN', KEYS[k + 1])
              if len == 0 then
                local total = 0
                for _, owner in ipairs(redis.call('SMEMBERS', KEYS[k + 4])) do
                  total = total + redis.call('XLEN', ARGV[13 + t] .. owner)
                end
                if total == 0 then redis.call('DEL', KEYS[k + 3]) end
              end
              local used = redis.call('INCRBY', KEYS[k + 3], c)
              if used > maxBytes then
                used = redis.call('DECRBY', KEYS[k + 3], c)
                out[t + 1] = {-1, used, c}
              else
                redis.call('XADD', KEYS[k + 1], '*', unpack(fields))
                if len == 0 then
                  redis.call('SADD', KEYS[k + 4], ARGV[11])
                  redis.call('SET', KEYS[k + 5], '1', 'PX', ARGV[12])
                end
                local excess = len + 1 - maxLength
                local dropped = 0
                if excess > 0 then
                  local oldest = redis.call('XRANGE', KEYS[k + 1], '-', '+', 'COUNT', excess)
                  local freed = 0
                  for _, entry in ipairs(oldest) do
                    local e = 0
                    for i = 1, #entry[2] do e = e + #entry[2][i] end
                    freed = freed + math.floor(e * 9 / 8) + 64
                    redis.call('XDEL', KEYS[k + 1], entry[1])
                  end
                  dropped = #oldest
                  used = redis.call('DECRBY', KEYS[k + 3], freed)
                  redis.call('INCRBY', KEYS[k + 2], dropped)
                end
                out[t + 1] = {dropped, used, c}
              end
            end
            return out
            """;

    static final String SHA = Scripts.sha1(SCRIPT);

    private ApplyAndQueueScript() {
    }
}
