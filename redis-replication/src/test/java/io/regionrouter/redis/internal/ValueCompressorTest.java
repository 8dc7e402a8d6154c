package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueCompressorTest {

    private static byte[] json(int items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"product-").append(i)
                    .append("\",\"price\":").append(i * 3 % 100).append(".99,\"tags\":[\"a\",\"b\"]},");
        }
        return sb.append("{}]").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void maybeCompress_leavesSmallValuesPlain() {
        assertThat(new ValueCompressor(true, 512).maybeCompress(json(2))).isNull();
    }

    @Test
    void maybeCompress_doesNothingWhenDisabled() {
        assertThat(new ValueCompressor(false, 1).maybeCompress(json(100))).isNull();
    }

    @Test
    void maybeCompress_shrinksJsonAndRoundTrips() {
        byte[] raw = json(100);
        byte[] packed = new ValueCompressor(true, 512).maybeCompress(raw);
        assertThat(packed).isNotNull();
        assertThat(packed.length).isLessThan(raw.length / 3);
        assertThat(ValueCompressor.decompress(packed)).isEqualTo(raw);
    }

    @Test
    void maybeCompress_keepsIncompressibleValuesPlain() {
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        assertThat(new ValueCompressor(true, 512).maybeCompress(random)).isNull();
    }

    @Test
    void decompress_rejectsCorruptData() {
        assertThatThrownBy(() -> ValueCompressor.decompress(new byte[] {1, 2, 3, 4}))
                .isInstanceOf(IllegalStateException.class);
    }
}
