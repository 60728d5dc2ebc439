package dev.jvswitch.bench.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.jvswitch.bench.traffic.FrameTemplate.FrameSpec;
import dev.jvswitch.testkit.frame.Checksums;

/** Generator frames: layout, checksums after the per-frame patch, and the payload stamp parser. */
class FrameTemplateTest {
    private static final long SRC = 0x02_00_00_00_00_01L;
    private static final long DST = 0x02_00_00_00_00_02L;

    private static byte[] write(FrameTemplate t, int flow, long seq, long ns) {
        byte[] f = new byte[t.length() + 8];
        // Written at an odd offset in the buffer: nothing may depend on alignment.
        t.write(new UnsafeBuffer(f), 3, flow, 0x5a, seq, ns);
        byte[] frame = new byte[t.length()];
        System.arraycopy(f, 3, frame, 0, frame.length);
        return frame;
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }

    @ParameterizedTest
    @CsvSource({"64, -1", "65, -1", "128, 10", "1518, -1", "1517, 4000"})
    void ipv4FramesHaveAValidHeaderChecksumForEveryFlow(int size, int vlan) {
        FrameTemplate t = new FrameTemplate(new FrameSpec(size, false, vlan, -1, SRC, DST, "10.1.0.1"));
        assertThat(t.length()).isEqualTo(size - 4);
        int l3 = vlan >= 0 ? 18 : 14;
        for (int flow : new int[] {0, 1, 59_999, 60_000, 999_999}) {
            byte[] f = write(t, flow, 77, 123_456_789L);
            assertThat(u16(f, l3 - 2)).isEqualTo(0x0800);
            assertThat(Checksums.internet(f, l3, 20)).as("IPv4 header checksum, flow %d", flow).isZero();
            assertThat(u16(f, l3 + 20)).isEqualTo(FlowSpace.srcPort(flow));
            int src = new UnsafeBuffer(f).getInt(l3 + 12, ByteOrder.BIG_ENDIAN);
            assertThat(src).isEqualTo(FlowSpace.FIRST_SRC_IPV4 + FlowSpace.addressIndex(flow));
            assertThat(u16(f, l3 + 26)).as("UDP checksum unused over IPv4").isZero();
            assertThat(u16(f, l3 + 2)).isEqualTo(size - 4 - l3);
        }
    }

    @ParameterizedTest
    @CsvSource({"82, -1", "83, -1", "86, 7", "301, -1", "1518, 100"})
    void ipv6FramesHaveAValidUdpChecksumForEveryFlowAndStamp(int size, int vlan) {
        FrameTemplate t = new FrameTemplate(new FrameSpec(size, true, vlan, -1, SRC, DST, "10.1.0.1"));
        int l3 = vlan >= 0 ? 18 : 14;
        for (int flow : new int[] {0, 5, 60_001, 777_777}) {
            for (long seq : new long[] {0, 1, 0xffff_ffffL}) {
                byte[] f = write(t, flow, seq, Long.MIN_VALUE + seq * 31);
                int udp = l3 + 40;
                int udpLength = f.length - udp;
                byte[] pseudo = new byte[40 + udpLength];
                System.arraycopy(f, l3 + 8, pseudo, 0, 32);
                pseudo[34] = (byte) (udpLength >>> 8);
                pseudo[35] = (byte) udpLength;
                pseudo[39] = 17;
                System.arraycopy(f, udp, pseudo, 40, udpLength);
                assertThat(Checksums.internet(pseudo, 0, pseudo.length)).as("UDP checksum, %d B, flow %d, seq %d",
                        size, flow, seq).isZero();
                assertThat(u16(f, udp)).isEqualTo(FlowSpace.srcPort(flow));
            }
        }
    }

    @Test
    void vxlanCarriesTheStampedFrameInsideAndTheStampStaysAtTheEnd() {
        FrameTemplate t = new FrameTemplate(new FrameSpec(128, false, 20, 4242, SRC, DST, "10.1.0.1"));
        byte[] f = write(t, 3, 9, 42);
        assertThat(f.length).isEqualTo(124);
        assertThat(u16(f, 12)).isEqualTo(0x8100);
        assertThat(u16(f, 16)).isEqualTo(0x0800);
        assertThat(u16(f, 18 + 20 + 2)).as("outer UDP destination port").isEqualTo(4789);
        int vniAt = 18 + 20 + 8 + 4;
        assertThat(((f[vniAt] & 0xff) << 16) | u16(f, vniAt + 1)).isEqualTo(4242);
        int innerL3 = 18 + 20 + 8 + 8 + 14;
        assertThat(Checksums.internet(f, innerL3, 20)).as("inner IPv4 header checksum").isZero();
        assertThat(Checksums.internet(f, 18, 20)).as("outer IPv4 header checksum").isZero();
        UnsafeBuffer b = new UnsafeBuffer(f);
        assertThat(PayloadStamp.matches(b, 0, f.length, 0x5a)).isTrue();
        int at = PayloadStamp.offsetIn(f.length);
        assertThat(PayloadStamp.flow(b, at)).isEqualTo(3);
        assertThat(PayloadStamp.seq(b, at)).isEqualTo(9);
        assertThat(PayloadStamp.sendNs(b, at)).isEqualTo(42);
    }

    @Test
    void theStampParserReadsBackWhatWasWrittenAndRejectsOtherRunsAndRunts() {
        FrameTemplate t = new FrameTemplate(new FrameSpec(64, false, -1, -1, SRC, DST, "192.0.2.200"));
        byte[] f = write(t, 0xab_cdef, 0xfedc_ba98L, -5L);
        UnsafeBuffer b = new UnsafeBuffer(f);
        int at = PayloadStamp.offsetIn(f.length);
        assertThat(at).isEqualTo(60 - 16);
        assertThat(PayloadStamp.matches(b, 0, f.length, 0x5a)).isTrue();
        assertThat(PayloadStamp.matches(b, 0, f.length, 0x5b)).as("another run's tag").isFalse();
        assertThat(PayloadStamp.matches(b, 0, FrameTemplate.MIN_HEADER_BYTES + PayloadStamp.LENGTH - 1, 0x5a))
                .as("too short to hold headers and a stamp").isFalse();
        assertThat(PayloadStamp.flow(b, at)).isEqualTo(0xab_cdef);
        assertThat(PayloadStamp.seq(b, at)).isEqualTo(0xfedc_ba98L);
        assertThat(PayloadStamp.sendNs(b, at)).isEqualTo(-5L);
    }

    @Test
    void sizesBelowTheShapesMinimumAreRefusedNamingIt() {
        assertThat(FrameTemplate.minWireBytes(false, false, false)).isEqualTo(64);
        assertThat(FrameTemplate.minWireBytes(true, false, false)).isEqualTo(82);
        assertThat(FrameTemplate.minWireBytes(true, true, true)).isEqualTo(136);
        assertThatThrownBy(() -> new FrameSpec(81, true, -1, -1, SRC, DST, "10.1.0.1"))
                .hasMessage("a stamped IPv6/UDP frame needs at least 82 bytes on the wire, asked for 81");
    }
}
