package dev.jvswitch.bench.traffic;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * One generator frame, built once (with testkit's {@link FrameBuilder}) and written per send
 * for any of N flows with a {@link PayloadStamp}: the template's bytes are copied, the flow's
 * source address and port ({@link FlowSpace}) and the stamp are written over them, and the
 * IPv4 header and UDP checksums are adjusted incrementally for the bytes that changed (RFC 1624),
 * so a frame of any size costs the same few dozen byte additions, and the flows need no memory of
 * their own.
 *
 * <p>Shapes: Ethernet, an optional 802.1Q tag, IPv4 or IPv6, UDP to port 5001, payload up to
 * {@link FrameSpec#wireBytes()}; with a VXLAN VNI that frame is the inner one, carried in
 * Ethernet (+ the tag), IPv4 192.0.2.2 to 192.0.2.1, UDP 32768 to 4789 (checksum 0) and VXLAN,
 * all within the same wire size. The UDP checksum is filled in over IPv6 (mandatory) and left 0
 * over IPv4.
 *
 * <p><b>Thread-safety:</b> immutable after construction; {@link #write} may run on any thread.
 */
public final class FrameTemplate {
    /** Ethernet, IPv4 and UDP headers: the least a stamped frame carries before its stamp. */
    public static final int MIN_HEADER_BYTES = 14 + 20 + 8;
    static final int FCS_BYTES = 4;
    static final int VXLAN_OUTER_BYTES = 14 + 20 + 8 + 8;
    static final int DST_PORT = 5001;

    /**
     * What to send.
     *
     * @param wireBytes frame size on the wire with its 4-byte FCS (as RFC 2544 counts: 64 is the
     *                  smallest Ethernet frame); the frame written is 4 bytes shorter
     * @param ipv6      IPv6 rather than IPv4
     * @param vlan      an 802.1Q VLAN id, or -1
     * @param vni       a VXLAN VNI to wrap the frame in, or -1
     * @param srcMac    and {@code dstMac}: the (outer) Ethernet addresses
     * @param dstIpv4   the IPv4 destination (IPv6 frames go to 2001:db8:1::1)
     */
    public record FrameSpec(int wireBytes, boolean ipv6, int vlan, int vni, long srcMac, long dstMac, String dstIpv4) {
        public FrameSpec {
            int min = minWireBytes(ipv6, vlan >= 0, vni >= 0);
            if (wireBytes < min) {
                throw new IllegalArgumentException("a stamped " + describe(ipv6, vlan, vni) + " frame needs at least "
                        + min + " bytes on the wire, asked for " + wireBytes);
            }
        }

        /** The frame's layers in words, e.g. {@code IPv6/UDP in VLAN 10}. */
        public String describe() {
            return describe(ipv6, vlan, vni);
        }

        private static String describe(boolean ipv6, int vlan, int vni) {
            return (ipv6 ? "IPv6/UDP" : "IPv4/UDP") + (vni >= 0 ? " in VXLAN " + vni : "")
                    + (vlan >= 0 ? " in VLAN " + vlan : "");
        }
    }

    private final FrameSpec spec;
    private final UnsafeBuffer base;
    private final int length;
    private final int srcIpLowAt;
    private final int srcPortAt;
    private final int ipCsumAt;
    private final int udpAt;
    private final int udpCsumAt;
    private final boolean udpCsumUsed;
    private final int stampAt;
    private final int firstSrcLow;
    /** One's complement sums of the template's bytes that every write replaces. */
    private final int oldIpSum;
    private final int oldUdpSum;

    public FrameTemplate(FrameSpec spec) {
        this.spec = spec;
        boolean vxlan = spec.vni() >= 0;
        int innerBytes = spec.wireBytes() - FCS_BYTES - (vxlan ? VXLAN_OUTER_BYTES + (spec.vlan() >= 0 ? 4 : 0) : 0);
        FrameBuilder b = spec.ipv6()
                ? Frames.udp6().ip("2001:db8::1", "2001:db8:1::1")
                : Frames.udp4().ip(ipv4(FlowSpace.FIRST_SRC_IPV4), spec.dstIpv4()).udpChecksum(false);
        b.ports(FlowSpace.srcPort(0), DST_PORT);
        byte[] frame;
        int innerAt;
        if (vxlan) {
            byte[] inner = b.src("02:00:00:00:00:01").dst("02:00:00:00:00:02").size(innerBytes).build();
            FrameBuilder outer = Frames.udp4().src(spec.srcMac()).dst(spec.dstMac()).ip("192.0.2.2", "192.0.2.1")
                    .ports(32768, 0).udpChecksum(false);
            if (spec.vlan() >= 0) {
                outer.vlan(spec.vlan());
            }
            frame = outer.vxlan(spec.vni(), inner).build();
            innerAt = frame.length - inner.length;
        } else {
            b.src(spec.srcMac()).dst(spec.dstMac());
            if (spec.vlan() >= 0) {
                b.vlan(spec.vlan());
            }
            frame = b.size(innerBytes).build();
            innerAt = 0;
        }
        length = frame.length;
        base = new UnsafeBuffer(frame);
        int l3 = innerAt + 14 + (!vxlan && spec.vlan() >= 0 ? 4 : 0);
        udpAt = l3 + (spec.ipv6() ? 40 : 20);
        srcIpLowAt = spec.ipv6() ? l3 + 8 + 12 : l3 + 12;
        ipCsumAt = spec.ipv6() ? -1 : l3 + 10;
        srcPortAt = udpAt;
        udpCsumAt = udpAt + 6;
        udpCsumUsed = base.getShort(udpCsumAt) != 0;
        stampAt = PayloadStamp.offsetIn(length);
        firstSrcLow = base.getInt(srcIpLowAt, ByteOrder.BIG_ENDIAN);
        oldIpSum = sum(base, srcIpLowAt, 4, 0);
        oldUdpSum = add(add(oldIpSum, sum(base, srcPortAt, 2, 0)), sum(base, stampAt, PayloadStamp.LENGTH, stampAt - udpAt));
    }

    /** The least wire size (with FCS) of a stamped frame of this shape; never below 64. */
    public static int minWireBytes(boolean ipv6, boolean vlan, boolean vxlan) {
        int bytes = 14 + (ipv6 ? 40 : 20) + 8 + PayloadStamp.LENGTH + FCS_BYTES + (vlan ? 4 : 0)
                + (vxlan ? VXLAN_OUTER_BYTES : 0);
        return Math.max(64, bytes);
    }

    public FrameSpec spec() {
        return spec;
    }

    /** Bytes written per frame (the wire size less the FCS). */
    public int length() {
        return length;
    }

    /** Where the stamp starts in every frame. */
    public int stampOffset() {
        return stampAt;
    }

    /**
     * Writes flow {@code flow}'s frame number {@code seq}, stamped with {@code tag} and
     * {@code sendNs}, at {@code at} in {@code b} (which has {@link #length()} bytes of room).
     */
    public void write(MutableDirectBuffer b, int at, int flow, int tag, long seq, long sendNs) {
        b.putBytes(at, base, 0, length);
        b.putInt(at + srcIpLowAt, firstSrcLow + FlowSpace.addressIndex(flow), ByteOrder.BIG_ENDIAN);
        b.putShort(at + srcPortAt, (short) FlowSpace.srcPort(flow), ByteOrder.BIG_ENDIAN);
        PayloadStamp.write(b, at + stampAt, tag, flow, seq, sendNs);
        int ipSum = sum(b, at + srcIpLowAt, 4, 0);
        if (ipCsumAt >= 0) {
            b.putShort(at + ipCsumAt, (short) adjust(base.getShort(ipCsumAt, ByteOrder.BIG_ENDIAN) & 0xffff, oldIpSum,
                    ipSum), ByteOrder.BIG_ENDIAN);
        }
        if (udpCsumUsed) {
            int newSum = add(add(ipSum, sum(b, at + srcPortAt, 2, 0)),
                    sum(b, at + stampAt, PayloadStamp.LENGTH, stampAt - udpAt));
            int c = adjust(base.getShort(udpCsumAt, ByteOrder.BIG_ENDIAN) & 0xffff, oldUdpSum, newSum);
            b.putShort(at + udpCsumAt, (short) (c == 0 ? 0xffff : c), ByteOrder.BIG_ENDIAN);
        }
    }

    /**
     * The one's complement sum of {@code len} bytes at {@code at}, as 16-bit words of the
     * checksummed region whose start is {@code fromRegionStart} bytes before {@code at} (an odd
     * distance puts each byte in the other half of its word).
     */
    static int sum(DirectBuffer b, int at, int len, int fromRegionStart) {
        long s = 0;
        int shiftEven = (fromRegionStart & 1) == 0 ? 8 : 0;
        for (int i = 0; i < len; i++) {
            s += (long) (b.getByte(at + i) & 0xff) << ((i & 1) == 0 ? shiftEven : 8 - shiftEven);
        }
        return fold(s);
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), with m and m' sums of the changed words. */
    static int adjust(int checksum, int oldSum, int newSum) {
        return ~add(add(~checksum & 0xffff, ~oldSum & 0xffff), newSum) & 0xffff;
    }

    private static int add(int a, int b) {
        return fold((long) a + b);
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    private static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
