package dev.jvswitch.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MbufTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("mbuf-test", 8));

    @AfterEach
    void close() {
        pool.checkNoLeaks();
        pool.close();
    }

    @Test
    void freshMbufStartsAtHeadroomAndIsEmpty() {
        Mbuf m = pool.get();
        try {
            assertThat(m.dataOffset()).isEqualTo(MbufPoolConfig.DEFAULT_HEADROOM_BYTES);
            assertThat(m.length()).isZero();
            assertThat(m.dataRoom()).isGreaterThanOrEqualTo(MbufPoolConfig.DEFAULT_DATA_ROOM_BYTES);
            assertThat(m.l2Offset()).isEqualTo(-1);
            assertThat(m.slotAddress() % 64).isZero();
        } finally {
            pool.put(m);
        }
    }

    @Test
    void prependUsesHeadroomAndRefusesBeyondIt() {
        Mbuf m = pool.get();
        try {
            m.copyFrom(new byte[] {1, 2, 3, 4}, 0, 4);
            m.headerOffsets(0, 2, -1);
            assertThat(m.prepend(50)).isTrue();
            assertThat(m.length()).isEqualTo(54);
            assertThat(m.l2Offset()).isEqualTo(50);
            assertThat(m.l3Offset()).isEqualTo(52);
            assertThat(m.l4Offset()).isEqualTo(-1);
            assertThat(m.buffer().getByte(m.dataOffset() + 50)).isEqualTo((byte) 1);
            assertThat(m.prepend(MbufPoolConfig.DEFAULT_HEADROOM_BYTES)).isFalse();
            assertThat(m.length()).isEqualTo(54);
            assertThat(m.trimFront(50)).isTrue();
            assertThat(m.toByteArray()).containsExactly(1, 2, 3, 4);
            assertThat(m.l2Offset()).isZero();
        } finally {
            pool.put(m);
        }
    }

    @Test
    void appendAndTrimAreBoundsChecked() {
        Mbuf m = pool.get();
        try {
            assertThat(m.append(m.tailroom() + 1)).isFalse();
            assertThat(m.append(m.tailroom())).isTrue();
            assertThat(m.tailroom()).isZero();
            assertThat(m.trimBack(m.length() + 1)).isFalse();
            assertThat(m.trimBack(m.length())).isTrue();
            assertThat(m.trimFront(1)).isFalse();
            assertThat(m.copyFrom(new byte[m.dataRoom() + 1], 0, m.dataRoom() + 1)).isFalse();
        } finally {
            pool.put(m);
        }
    }

    @Test
    void bufferAccessCannotLeaveTheSlot() {
        Mbuf m = pool.get();
        try {
            assertThatThrownBy(() -> m.buffer().getByte(m.capacity())).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> m.buffer().getLong(m.capacity() - 4)).isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            pool.put(m);
        }
    }

    @Test
    void copyOfCarriesDataAndMetadata() {
        Mbuf a = pool.get();
        Mbuf b = pool.get();
        try {
            a.copyFrom(new byte[] {9, 8, 7}, 0, 3);
            a.inPort(5);
            a.rssHash(0x1234);
            a.tunnel(42, 1, 2, 3, 4, 5, 6, 7);
            assertThat(b.copyOf(a)).isTrue();
            assertThat(b.toByteArray()).containsExactly(9, 8, 7);
            assertThat(b.inPort()).isEqualTo(5);
            assertThat(b.rssHash()).isEqualTo(0x1234);
            assertThat(b.tunnelId()).isEqualTo(42);
            assertThat(b.hasTunnel()).isTrue();
        } finally {
            pool.put(a);
            pool.put(b);
        }
    }

    /** Each ct setter marks the metadata set, so that a reset or clear (which skip it unset) clears what it wrote. */
    @Test
    void everyCtSetterIsClearedByAResetAndACopyCarriesIt() {
        String none = "0 0 0 0 0 false 0 0 0 0 0 0 0";
        List<Consumer<Mbuf>> setters = List.of(m -> m.ctState(0x21), m -> m.ctZone(3), m -> m.ctMark(4),
                m -> m.ctLabel(5, 6), m -> m.ctOrig(true, 17, 1, 2, 3, 4, 5, 6));
        for (Consumer<Mbuf> set : setters) {
            Mbuf a = pool.get();
            Mbuf b = pool.get();
            try {
                set.accept(a);
                assertThat(b.copyOf(a)).isTrue();
                assertThat(ct(b)).isEqualTo(ct(a)).isNotEqualTo(none);
                a.reset();
                assertThat(ct(a)).isEqualTo(none);
                b.clearCt();
                assertThat(ct(b)).isEqualTo(none);
                set.accept(b);
                b.resetMetadata();
                assertThat(ct(b)).isEqualTo(none);
            } finally {
                pool.put(a);
                pool.put(b);
            }
        }
    }

    private static String ct(Mbuf m) {
        return m.ctState() + " " + m.ctZone() + " " + m.ctMark() + " " + m.ctLabelHi() + " " + m.ctLabelLo() + " "
                + m.ctOrigIpv6() + " " + m.ctOrigProto() + " " + m.ctOrigSrcHi() + " " + m.ctOrigSrcLo() + " "
                + m.ctOrigDstHi() + " " + m.ctOrigDstLo() + " " + m.ctOrigTpSrc() + " " + m.ctOrigTpDst();
    }

    @Test
    void sliceKeepsARangeOfThePacketClearsTheOffsetsAndRefusesWhatIsOutside() {
        Mbuf m = pool.get();
        try {
            m.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            m.headerOffsets(0, 2, 4);
            int start = m.dataOffset();
            assertThat(m.slice(3, 6)).isFalse();
            assertThat(m.slice(-1, 2)).isFalse();
            assertThat(m.slice(2, -1)).isFalse();
            assertThat(m.length()).isEqualTo(8);
            assertThat(m.l3Offset()).isEqualTo(2);
            assertThat(m.slice(2, 5)).isTrue();
            assertThat(m.dataOffset()).isEqualTo(start + 2);
            assertThat(m.toByteArray()).containsExactly(3, 4, 5, 6, 7);
            assertThat(m.l2Offset()).isEqualTo(-1);
            assertThat(m.l3Offset()).isEqualTo(-1);
            assertThat(m.l4Offset()).isEqualTo(-1);
            assertThat(m.slice(5, 0)).isTrue();
            assertThat(m.length()).isZero();
        } finally {
            pool.put(m);
        }
    }

    @Test
    void theTunnelFieldsReadBackFromTheirPackedWordsEitherWayTheyAreSet() {
        Mbuf m = pool.get();
        try {
            m.tunnel(0x1234_5678_9aL, 0xc0000201, 0xc0000202, 0xb8, 64, 0x0d, 49152, 4789);
            assertThat(m.tunnelIpv4Word()).isEqualTo(0xc0000201_c0000202L);
            assertThat(m.tunnelTransportWord()).isEqualTo(0xc000_12b5_000d_b840L);
            m.tunnelWords(100, m.tunnelIpv4Word(), m.tunnelTransportWord());
            assertThat(m.tunnelId()).isEqualTo(100);
            assertThat(m.tunnelIpv4Src()).isEqualTo(0xc0000201);
            assertThat(m.tunnelIpv4Dst()).isEqualTo(0xc0000202);
            assertThat(m.tunnelTos()).isEqualTo(0xb8);
            assertThat(m.tunnelTtl()).isEqualTo(64);
            assertThat(m.tunnelFlags()).isEqualTo(0x0d);
            assertThat(m.tunnelTpSrc()).isEqualTo(49152);
            assertThat(m.tunnelTpDst()).isEqualTo(4789);
            assertThat(m.hasTunnel()).isTrue();
            assertThat(m.tunnelIpv6Set()).isFalse();
        } finally {
            pool.put(m);
        }
    }

    @Test
    void anIpv4PopAfterAnIpv6OneLeavesNoIpv6Address() {
        Mbuf m = pool.get();
        try {
            m.tunnelWords(7, 0, 0x1111_2222_0008_0040L);
            m.tunnelIpv6(0x2001_0db8L << 32, 1, 0x2001_0db8L << 32, 2);
            assertThat(m.tunnelIpv6Set()).isTrue();
            assertThat(m.hasTunnel()).isTrue();
            m.tunnelWords(8, 0xc0000201_c0000202L, 0x1111_2222_0008_0040L);
            assertThat(m.tunnelIpv6Set()).isFalse();
            assertThat(m.tunnelIpv6SrcHi() | m.tunnelIpv6SrcLo() | m.tunnelIpv6DstHi() | m.tunnelIpv6DstLo()).isZero();
            m.tunnelIpv6(0x2001_0db8L << 32, 1, 0x2001_0db8L << 32, 2);
            m.clearTunnel();
            assertThat(m.tunnelSet()).isFalse();
            assertThat(m.hasTunnel()).isFalse();
            assertThat(m.tunnelIpv6Set()).isFalse();
            assertThat(m.tunnelIpv6DstLo()).isZero();
            assertThat(m.tunnelTransportWord()).isZero();
        } finally {
            pool.put(m);
        }
    }

    @Test
    void returningTwiceFails() {
        Mbuf m = pool.get();
        pool.put(m);
        assertThatThrownBy(() -> pool.put(m)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned twice");
    }

    @Test
    void returnResetsMetadata() {
        Mbuf m = pool.get();
        m.inPort(3);
        m.recircId(7);
        m.copyFrom(new byte[] {1}, 0, 1);
        pool.put(m);
        assertThat(m.inPort()).isZero();
        assertThat(m.recircId()).isZero();
        assertThat(m.length()).isZero();
    }

    @Test
    void placeDataAcceptsAnyRangeInsideTheSlotAndNothingElse() {
        Mbuf m = pool.get();
        try {
            m.headerOffsets(0, 14, 34);
            assertThat(m.placeData(256, 60)).isTrue();
            assertThat(m.dataOffset()).isEqualTo(256);
            assertThat(m.length()).isEqualTo(60);
            assertThat(m.l2Offset()).isEqualTo(-1);
            assertThat(m.dataAddress()).isEqualTo(m.slotAddress() + 256);
            assertThat(m.placeData(0, m.capacity())).isTrue();
            assertThat(m.placeData(m.capacity(), 0)).isTrue();
            assertThat(m.placeData(256, m.capacity() - 255)).isFalse();
            assertThat(m.placeData(-1, 10)).isFalse();
            assertThat(m.placeData(10, -1)).isFalse();
            assertThat(m.placeData(Integer.MAX_VALUE, Integer.MAX_VALUE)).isFalse();
            assertThat(m.dataOffset()).as("unchanged by a refused placement").isEqualTo(m.capacity());
            assertThat(m.length()).isZero();
            assertThat(m.prepend(100)).isTrue();
        } finally {
            pool.put(m);
        }
        Mbuf again = pool.get();
        try {
            assertThat(again.dataOffset()).as("a returned mbuf starts at the headroom again")
                    .isEqualTo(MbufPoolConfig.DEFAULT_HEADROOM_BYTES);
        } finally {
            pool.put(again);
        }
    }
}
