package dev.jvswitch.afxdp.xsk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A ring refuses a kernel-reported layout that does not fit its mapping, before any access. */
class RingLayoutTest {
    private final ByteBuffer memory = ByteBuffer.allocateDirect(4096);
    private final long address = new UnsafeBuffer(memory).addressOffset();

    @Test
    void partsOutsideTheMappingAreRefused() {
        assertThatThrownBy(() -> ProducerRing.fill(address, 4096, 4096, 64, 128, 192, 16))
                .hasMessageContaining("producer index at 4096 outside");
        assertThatThrownBy(() -> ConsumerRing.rx(address, 4096, 0, -4, 128, 192, 16))
                .hasMessageContaining("consumer index at -4");
        assertThatThrownBy(() -> ConsumerRing.rx(address, 4096, 0, 64, 130, 192, 16))
                .hasMessageContaining("flags index at 130");
        assertThatThrownBy(() -> ConsumerRing.rx(address, 4096, 0, 64, 128, 192, 512))
                .hasMessageContaining("descriptors at 192 (512 x 16 B) outside");
        assertThatThrownBy(() -> ProducerRing.tx(address, 4096, 0, 64, 128, 192, 12))
                .hasMessageContaining("not a power of two");
    }
}
