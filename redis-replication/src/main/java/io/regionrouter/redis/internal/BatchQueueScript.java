package io.regionrouter.redis.internal;

/**
 * Appends one write to the hint logs of several target regions in one script call, for the batched
 * regions of a write on a standalone local Redis (in a Redis Cluster the targets' keys lie in
 * different slots, and each is appended on its own). Per target it does exactly what
 * {@link Scripts#APPEND_HINT} does, with the same cost function, so both bounds and the counters
 * stay exact whichever script appended.
 *
 * <p>KEYS: five per target, in the order of {@link Scripts#APPEND_HINT} (stream, overflow counter,
 * byte counter, owners, lease). ARGV[1] = maximum length, ARGV[2] = maximum bytes, ARGV[3] = this
 * instance's name, ARGV[4] = lease in ms, ARGV[5] = the number of targets n, ARGV[6 .. 5 + n] = each
 * target's stream key without the instance name, then the field and value pairs. Replies with one
 * {@code {dropped or -1, used, cost}} per target, in order.
 */
final class BatchQueueScript {

    static final String SCRIPT = """
            local function cost(fields)
              local n = 0
              for i = 1, #fields do n = n + #fields[i] end
              return math.floor(n * 9 / 8) + 64
            end
            local n = tonumber(ARGV[5])
            local fields = {}
            for i = 6 + n, #ARGV do fields[#fields + 1] = ARGV[i] end
            local c = cost(fields)
            local out = {}
            for t = 1, n do
              local k = (t - 1) * 5
              local len = redis.call('XLEN', KEYS[k + 1])
              local total = len
              if len == 0 then
                for _, owner in ipairs(redis.call('SMEMBERS', KEYS[k + 4])) do
                  total = total + redis.call('XLEN', ARGV[5 + t] .. owner)
                end
              end
              local used = 0
              if total == 0 then
                redis.call('DEL', KEYS[k + 3])
              else
                used = tonumber(redis.call('GET', KEYS[k + 3]) or '0')
              end
              if used + c > tonumber(ARGV[2]) then
                out[t] = {-1, used, c}
              else
                redis.call('XADD', KEYS[k + 1], '*', unpack(fields))
                redis.call('SADD', KEYS[k + 4], ARGV[3])
                redis.call('SET', KEYS[k + 5], '1', 'PX', ARGV[4])
                used = redis.call('INCRBY', KEYS[k + 3], c)
                local excess = len + 1 - tonumber(ARGV[1])
                local dropped = 0
                if excess > 0 then
                  local oldest = redis.call('XRANGE', KEYS[k + 1], '-', '+', 'COUNT', excess)
                  local freed = 0
                  for _, entry in ipairs(oldest) do
                    freed = freed + cost(entry[2])
                    redis.call('XDEL', KEYS[k + 1], entry[1])
                  end
                  dropped = #oldest
                  used = redis.call('DECRBY', KEYS[k + 3], freed)
                  redis.call('INCRBY', KEYS[k + 2], dropped)
                end
                out[t] = {dropped, used, c}
              end
            end
            return out
            """;

    static final String SHA = Scripts.sha1(SCRIPT);

    private BatchQueueScript() {
    }
}
