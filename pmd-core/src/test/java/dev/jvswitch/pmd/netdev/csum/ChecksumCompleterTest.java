package dev.jvswitch.pmd.netdev.csum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;

/** Checksum completion against a plain reference, on generated TCP/UDP packets and on junk. */
class ChecksumCompleterTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("csum-test", 4));

    @AfterProperty
    void checkPool() {
        pool.checkNoLeaks();
    }

    private Mbuf load(byte[] packet) {
        Mbuf m = pool.get();
        m.buffer().setMemory(0, m.capacity(), (byte) 0x5a);
        assertThat(m.copyFrom(packet, 0, packet.length)).isTrue();
        return m;
    }

    /** An Ethernet frame with {@code tags} VLAN tags, IPv4 or IPv6 (optionally a hop-by-hop header), TCP or UDP. */
    static byte[] packet(boolean ipv6, boolean tcp, int tags, boolean hopByHop, byte[] payload, int garbage, int padding) {
        int l4Length = (tcp ? 20 : 8) + payload.length;
        int extLength = ipv6 && hopByHop ? 8 : 0;
        int l3Length = (ipv6 ? 40 : 20) + extLength;
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * tags + l3Length + l4Length + padding);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        for (int i = 0; i < tags; i++) {
            b.putShort((short) (i == 0 && tags == 2 ? 0x88a8 : 0x8100)).putShort((short) (i + 10));
        }
        int proto = tcp ? 6 : 17;
        if (ipv6) {
            b.putShort((short) 0x86dd).putInt(0x6000_0000).putShort((short) (extLength + l4Length))
                    .put((byte) (hopByHop ? 0 : proto)).put((byte) 64);
            for (int i = 0; i < 32; i++) {
                b.put((byte) (0x20 + i));
            }
            if (hopByHop) {
                b.put((byte) proto).put((byte) 0).put(new byte[] {1, 4, 0, 0, 0, 0});
            }
        } else {
            b.putShort((short) 0x0800).put((byte) 0x45).put((byte) 0).putShort((short) (l3Length + l4Length))
                    .putShort((short) 1).putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0)
                    .put(new byte[] {10, 1, 2, 3}).put(new byte[] {10, 4, 5, 6});
        }
        if (tcp) {
            b.putShort((short) 1234).putShort((short) 80).putInt(1).putInt(0).putShort((short) 0x5002)
                    .putShort((short) 1024).putShort((short) garbage).putShort((short) 0);
        } else {
            b.putShort((short) 1234).putShort((short) 53).putShort((short) l4Length).putShort((short) garbage);
        }
        b.put(payload);
        return b.array();
    }

    /** The ones'-complement sum over pseudo-header and segment, written the slow, obvious way. */
    static int verify(byte[] p) {
        int off = 12;
        int type = ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
        while (type == 0x8100 || type == 0x88a8) {
            off += 4;
            type = ((p[off] & 0xff) << 8) | (p[off + 1] & 0xff);
        }
        int l3 = off + 2;
        long sum = 0;
        int l4;
        int l4Length;
        if (type == 0x0800) {
            int total = ((p[l3 + 2] & 0xff) << 8) | (p[l3 + 3] & 0xff);
            l4 = l3 + 20;
            l4Length = total - 20;
            sum += words(p, l3 + 12, 8) + (p[l3 + 9] & 0xff) + l4Length;
        } else {
            int next = p[l3 + 6] & 0xff;
            l4 = l3 + 40;
            if (next == 0) {
                next = p[l4] & 0xff;
                l4 += 8;
            }
            int payloadLength = ((p[l3 + 4] & 0xff) << 8) | (p[l3 + 5] & 0xff);
            l4Length = l3 + 40 + payloadLength - l4;
            sum += words(p, l3 + 8, 32) + next + l4Length;
        }
        sum += words(p, l4, l4Length);
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }

    private static long words(byte[] p, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += ((p[from + i] & 0xff) << 8) | (i + 1 < length ? p[from + i + 1] & 0xff : 0);
        }
        return sum;
    }

    @Property(tries = 500)
    void completedChecksumsVerify(@ForAll boolean ipv6, @ForAll boolean tcp, @ForAll @IntRange(max = 2) int tags,
            @ForAll boolean hopByHop, @ForAll @Size(max = 300) byte[] payload, @ForAll int garbage,
            @ForAll @IntRange(max = 20) int padding) {
        byte[] p = packet(ipv6, tcp, tags, hopByHop, payload, garbage, padding);
        Mbuf m = load(p);
        try {
            assertThat(ChecksumCompleter.complete(m)).isTrue();
            byte[] out = m.toByteArray();
            assertThat(verify(out)).isEqualTo(0xffff);
            // Only the checksum field changed.
            int differing = 0;
            for (int i = 0; i < p.length; i++) {
                differing += p[i] != out[i] ? 1 : 0;
            }
            assertThat(differing).isLessThanOrEqualTo(2);
        } finally {
            pool.put(m);
        }
    }

    @Property(tries = 200)
    void udpNeverGetsAZeroChecksum(@ForAll @Size(max = 64) byte[] payload) {
        Mbuf m = load(packet(false, false, 0, false, payload, 0, 0));
        try {
            ChecksumCompleter.complete(m);
            int field = m.buffer().getShort(m.dataOffset() + 14 + 20 + 6, java.nio.ByteOrder.BIG_ENDIAN) & 0xffff;
            assertThat(field).isNotZero();
        } finally {
            pool.put(m);
        }
    }

    @Provide
    Arbitrary<byte[]> junk() {
        // Mostly plausible headers with random bytes after them, so the parser goes deep.
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(120).map(tail -> {
            byte[] head = packet(tail.length % 2 == 0, tail.length % 3 == 0, tail.length % 3, tail.length % 5 == 0,
                    new byte[0], 0, 0);
            int cut = tail.length == 0 ? 0 : (tail[0] & 0xff) % (head.length + 1);
            byte[] p = Arrays.copyOf(head, cut + tail.length);
            System.arraycopy(tail, 0, p, cut, tail.length);
            return p;
        });
    }

    @Property(tries = 2000)
    void junkNeverThrowsNorTouchesBytesPastThePacket(@ForAll("junk") byte[] p) {
        Mbuf m = load(p);
        try {
            ChecksumCompleter.complete(m);
            for (int i = m.dataOffset() + m.length(); i < m.capacity(); i++) {
                assertThat(m.buffer().getByte(i)).as("byte %d past the packet", i).isEqualTo((byte) 0x5a);
            }
        } finally {
            pool.put(m);
        }
    }

    @Property(tries = 50)
    void fragmentsAndOtherProtocolsAreLeftAlone(@ForAll @Size(min = 1, max = 64) byte[] payload) {
        byte[] fragment = packet(false, false, 0, false, payload, 0, 0);
        fragment[14 + 6] = 0x20; // more fragments
        byte[] icmp = packet(false, false, 0, false, payload, 0, 0);
        icmp[14 + 9] = 1;
        for (byte[] p : new byte[][] {fragment, icmp}) {
            Mbuf m = load(p);
            try {
                assertThat(ChecksumCompleter.complete(m)).isFalse();
                assertThat(m.toByteArray()).isEqualTo(p);
            } finally {
                pool.put(m);
            }
        }
    }
}
