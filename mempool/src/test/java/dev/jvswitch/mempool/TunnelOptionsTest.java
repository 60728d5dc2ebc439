package dev.jvswitch.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The raw options an mbuf keeps: the bytes as given, readable as big-endian words with zeros
 * after the length up to the next word, whatever the slot held before, on both sides of the
 * words kept in fields; a copy reads back the same; too many refused.
 */
class TunnelOptionsTest {
    private final ByteBuffer slot = ByteBuffer.allocateDirect(TunnelOptions.CAPACITY);
    private final TunnelOptions options = new TunnelOptions(new UnsafeBuffer(slot).addressOffset());

    private static UnsafeBuffer bytes(int n, int first) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[n + 3]);
        for (int i = 0; i < n; i++) {
            b.putByte(3 + i, (byte) (first + i));
        }
        return b;
    }

    @Test
    void everyLengthReadsBackAsWordsPaddedWithZeros() {
        for (int n : new int[] {4, 8, 12, 13, 16, 17, 20, 24, 124, 256, 1, 0}) {
            // A longer option set first leaves bytes the shorter one must hide.
            options.set(bytes(TunnelOptions.CAPACITY, 0x80), 3, TunnelOptions.CAPACITY);
            options.set(bytes(n, 1), 3, n);
            assertThat(options.length()).isEqualTo(n);
            ByteBuffer expected = ByteBuffer.allocate((n + 7) & -8).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < n; i++) {
                expected.put(i, (byte) (1 + i));
            }
            for (int w = 0; w < (n + 7) / 8; w++) {
                assertThat(options.word(w)).as("%d bytes, word %d", n, w).isEqualTo(expected.getLong(w * 8));
            }
        }
    }

    @Test
    void aCopyReadsBackTheSameBytesAndWords() {
        ByteBuffer otherSlot = ByteBuffer.allocateDirect(TunnelOptions.CAPACITY);
        TunnelOptions copy = new TunnelOptions(new UnsafeBuffer(otherSlot).addressOffset());
        for (int n : new int[] {8, 20, 252, 4, 0}) {
            copy.set(bytes(TunnelOptions.CAPACITY, 0x80), 3, TunnelOptions.CAPACITY);
            options.set(bytes(n, 1), 3, n);
            copy.copyFrom(options);
            assertThat(copy.length()).isEqualTo(n);
            byte[] expected = new byte[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (byte) (1 + i);
            }
            assertThat(copy.toBytes()).as("%d bytes", n).isEqualTo(expected);
            assertThat(options.toBytes()).isEqualTo(expected);
            for (int w = 0; w < (n + 7) / 8; w++) {
                assertThat(copy.word(w)).as("%d bytes, word %d", n, w).isEqualTo(options.word(w));
            }
        }
    }

    @Test
    void moreThanTheOptionSpaceIsRefused() {
        assertThatThrownBy(() -> options.set(bytes(300, 0), 3, 257)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 256");
    }

    @Test
    void optionsReachingPastTheBufferAreRefusedBeforeAByteIsRead() {
        // The words are read without a check per read: the one range check is all that stands
        // between a wrong length and another packet's bytes.
        assertThatThrownBy(() -> options.set(bytes(8, 1), 4, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 bytes at 4 outside a buffer of 11");
        assertThatThrownBy(() -> options.set(bytes(8, 1), -1, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside");
        options.set(bytes(8, 1), 3, 8);
        assertThat(options.length()).isEqualTo(8);
    }
}
