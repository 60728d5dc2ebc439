package dev.jvswitch.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PacketBytesTest {

    @Test
    void readsAnMbufsBytesBigEndianAtTheirAddress() {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("packet-bytes-test", 2))) {
            Mbuf m = pool.get();
            try {
                byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
                m.copyFrom(bytes, 0, bytes.length);
                UnsafeBuffer b = m.buffer();
                int at = m.dataOffset();
                assertThat(PacketBytes.u8(b, at)).isEqualTo(1);
                assertThat(PacketBytes.u16(b, at + 1)).isEqualTo(0x0203);
                assertThat(PacketBytes.u32(b, at + 1)).isEqualTo(0x0203_0405L);
                assertThat(PacketBytes.u64(b, at + 1)).isEqualTo(0x0203_0405_0607_0809L);
                assertThat(PacketBytes.mac(b, at)).isEqualTo(0x0102_0304_0506L);
            } finally {
                pool.put(m);
            }
        }
    }

    @Test
    void aHeapBufferIsRefusedUnderAssertions() {
        // The reads go to the buffer's address alone, which for a heap buffer is no address at all.
        UnsafeBuffer heap = new UnsafeBuffer(new byte[16]);
        assertThatThrownBy(() -> PacketBytes.u32(heap, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heap buffer");
    }
}
