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
 * <p>Per target the append is the one {@link Scripts#APPEND_HINT} makes (the same Lua function), so
 * both bounds and the counters stay exact whichever script appended. The owners set and the lease
 * are written when the stream was empty; while it holds writes the shipper renews the lease on its
 * own clock, so an append does not.
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

    static final String SCRIPT = "local function apply()\n" + MoveScripts.FENCE_CHECK + Scripts.APPLY_BODY + "end\n"
            + Scripts.appendFunction() + """
            local applied = apply()
            if applied['err'] then
              return applied
            end
            local fields = {'k', KEYS[1], 'v', ARGV[1], 'w', ARGV[2], 'f', ARGV[3], 'd', ARGV[4], 'x', ARGV[5],
              't', ARGV[6], 'r', ARGV[7]}
            local c = cost(fields)
            local maxLength, maxBytes = tonumber(ARGV[9]), tonumber(ARGV[10])
            local out = {applied}
            for t = 1, tonumber(ARGV[13]) do
              out[t + 1] = append(2 + (t - 1) * 5, ARGV[13 + t], fields, c, maxLength, maxBytes, ARGV[11], ARGV[12],
                false)
            end
            return out
            """;

    static final String SHA = Scripts.sha1(SCRIPT);

    private ApplyAndQueueScript() {
    }
}
