package io.regionrouter.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.regionrouter.redis.Version;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class BatchCodecTest {

    private static BatchCodec.Item item(int i) {
        byte[] data = ("{\"views\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        return new BatchCodec.Item(("product:" + i).getBytes(StandardCharsets.UTF_8),
                new Envelope(new Version(Version.timestamp(1_800_000_000_000L + i, i % 3), "us/abc"), i % 2 == 0 ? 0
                        : Envelope.TOMBSTONE, i % 2 == 0 ? data : new byte[0], i * 10L, i * 20L, "us,eu,ap"));
    }

    @Test
    void encodeThenDecode_returnsEveryWriteUnchanged() {
        List<BatchCodec.Item> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(item(i));
        }
        List<BatchCodec.Item> back = BatchCodec.decode(BatchCodec.encode(items));
        assertThat(back).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(back.get(i).key()).isEqualTo(items.get(i).key());
            assertThat(back.get(i).envelope()).isEqualTo(items.get(i).envelope());
        }
    }

    @Test
    void smallValuesCompressAsOneUnit_farBelowTheirSum() {
        List<BatchCodec.Item> items = new ArrayList<>();
        long raw = 0;
        for (int i = 0; i < 500; i++) {
            BatchCodec.Item it = item(i * 2);
            items.add(it);
            raw += it.key().length + it.envelope().data().length + it.envelope().version().writer().length() + 30;
        }
        assertThat((long) BatchCodec.encode(items).length).isLessThan(raw / 3);
    }

    @Test
    void emptyBatch_roundTrips() {
        assertThat(BatchCodec.decode(BatchCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void truncatedOrForeignBlobs_areRefusedWithAClearError() {
        byte[] blob = BatchCodec.encode(List.of(item(0), item(2)));
        assertThatThrownBy(() -> BatchCodec.decode(Arrays.copyOf(blob, blob.length / 2)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BatchCodec.decode("not a batch".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inflated");
        assertThatThrownBy(() -> BatchCodec.decode(deflate(new byte[] {'X', 1, 0, 0, 0, 0})))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a batch");
    }

    @Test
    void aBlobThatInflatesPastTheBound_isRefused() {
        // a valid header and one write whose key is 1,000 bytes of zeros: fine under a bound of 4 KiB,
        // refused under 512 bytes, however small the compressed blob
        byte[] raw = new byte[2 + 4 + 4 + 1000 + 64];
        raw[0] = 'B';
        raw[1] = 1;
        raw[5] = 1;
        raw[8] = 0x03;
        raw[9] = (byte) 0xE8;
        byte[] blob = deflate(raw);
        assertThat(BatchCodec.decode(blob, 4096)).hasSize(1);
        assertThatThrownBy(() -> BatchCodec.decode(blob, 512)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("512");
    }

    private static byte[] deflate(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
            d.write(raw);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
