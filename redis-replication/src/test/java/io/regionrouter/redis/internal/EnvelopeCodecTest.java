package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.redis.Version;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hex_isFixedWidthAndSortsLikeTheUnsignedNumber() {
        assertThat(EnvelopeCodec.hex(1)).isEqualTo("0000000000000001");
        assertThat(EnvelopeCodec.hex(-1L)).isEqualTo("ffffffffffffffff");
        long a = Version.timestamp(1_700_000_000_000L, 3);
        long c = Version.timestamp(1_700_000_000_001L, 0);
        assertThat(EnvelopeCodec.hex(a).compareTo(EnvelopeCodec.hex(c))).isNegative();
        assertThat(EnvelopeCodec.parseHex(EnvelopeCodec.hex(a))).isEqualTo(a);
        assertThat(EnvelopeCodec.parseHex(EnvelopeCodec.hex(-5L))).isEqualTo(-5L);
    }

    @Test
    void parseHex_rejectsWrongLength() {
        assertThatThrownBy(() -> EnvelopeCodec.parseHex("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 hex digits");
    }

    @Test
    void scriptArgs_encodeEveryField() {
        Envelope e = new Envelope(new Version(42, "us/i1"), Envelope.DEFLATED, b("data"), 1234, 5678, "us,ap");
        byte[][] args = EnvelopeCodec.scriptArgs(e);
        assertThat(args.length).isEqualTo(7);
        assertThat(new String(args[0], StandardCharsets.US_ASCII)).isEqualTo("000000000000002a");
        assertThat(new String(args[1], StandardCharsets.US_ASCII)).isEqualTo("us/i1");
        assertThat(new String(args[2], StandardCharsets.US_ASCII)).isEqualTo("2");
        assertThat(args[3]).isEqualTo(b("data"));
        assertThat(new String(args[4], StandardCharsets.US_ASCII)).isEqualTo("1234");
        assertThat(new String(args[5], StandardCharsets.US_ASCII)).isEqualTo("5678");
        assertThat(new String(args[6], StandardCharsets.US_ASCII)).isEqualTo("us,ap");
    }

    @Test
    void fromHash_roundTripsAStoredValue() {
        Envelope e = new Envelope(new Version(Version.timestamp(99, 1), "eu/z"), 0, b("v"), 777, 9000, "eu");
        byte[][] args = EnvelopeCodec.scriptArgs(e);
        Envelope back = EnvelopeCodec.fromHash(args);
        assertThat(back).isEqualTo(e);
    }

    @Test
    void fromHash_returnsNullForAnAbsentKey() {
        assertThat(EnvelopeCodec.fromHash(new byte[7][])).isNull();
    }

    @Test
    void fromHash_rejectsCorruptFields() {
        assertThatThrownBy(() -> EnvelopeCodec.fromHash(new byte[][] {b("xyz"), b("w"), b("0"), b(""), b("0"), null, null}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("envelope");
    }

    @Test
    void hint_roundTripsKeyAndEnvelopeIncludingTombstoneExpiry() {
        Envelope e = new Envelope(new Version(Version.timestamp(5, 5), "ap/q"), Envelope.TOMBSTONE, new byte[0],
                1000, 2000);
        Map<byte[], byte[]> body = EnvelopeCodec.toHint(b("user:1"), e);
        // as a stream read returns it: new arrays, so lookups by identity would fail
        Map<byte[], byte[]> copy = new LinkedHashMap<>();
        body.forEach((k, v) -> copy.put(k.clone(), v.clone()));
        EnvelopeCodec.Hint hint = EnvelopeCodec.fromHint("1-0", copy);
        assertThat(hint.id()).isEqualTo("1-0");
        assertThat(hint.key()).isEqualTo(b("user:1"));
        assertThat(hint.envelope()).isEqualTo(e);
        assertThat(hint.envelope().tombstone()).isTrue();
    }

    @Test
    void fromHint_rejectsEntryWithoutKey() {
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        body.put(b("v"), b(EnvelopeCodec.hex(1)));
        assertThatThrownBy(() -> EnvelopeCodec.fromHint("2-0", body)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2-0");
    }

    @Test
    void envelope_rejectsUnknownFlags() {
        assertThatThrownBy(() -> new Envelope(new Version(1, "w"), 4, new byte[0], 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flags");
    }

    @Test
    void hintCost_isTheFieldAndValueBytesPlusAnEighthPlus64_andTravelsWithTheDecodedHint() {
        Envelope e = new Envelope(new Version(0x1234, "us/abcdefgh"), 0, b("x".repeat(300)), 0, 0);
        Map<byte[], byte[]> body = EnvelopeCodec.toHint(b("product:1"), e);
        // names k v w f d x t r (8) + key 9 + version 16 + writer 11 + flags 1 + data 300 + expiries 1 + 1
        // + regions 0
        long n = 8 + 9 + 16 + 11 + 1 + 300 + 1 + 1;
        assertThat(EnvelopeCodec.hintCost(body)).isEqualTo(n * 9 / 8 + 64).isEqualTo(454);
        assertThat(EnvelopeCodec.fromHint("1-0", body).cost()).isEqualTo(454);
        assertThat(EnvelopeCodec.hintCost(null)).isZero();
    }
}
