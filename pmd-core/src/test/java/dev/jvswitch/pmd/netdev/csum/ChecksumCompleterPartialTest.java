package dev.jvswitch.pmd.netdev.csum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Partial checksums (what a sender leaving the checksum to offload writes: the folded
 * pseudo-header sum) are recognised and finished to exactly what the frame builder computes; a
 * finished checksum, other protocols and junk are left as they are.
 */
class ChecksumCompleterPartialTest {

    private static List<FrameBuilder> shapes(byte[] payload) {
        return List.of(
                Frames.udp4().ports(1000, 2000).payload(payload),
                Frames.tcp4().ports(1000, 2000).payload(payload),
                Frames.udp6().ports(1000, 2000).payload(payload),
                Frames.tcp6().ports(1000, 2000).payload(payload),
                Frames.udp4().vlan(10).ports(1, 2).payload(payload),
                Frames.tcp6().qinq(20, 30).ports(1, 2).payload(payload),
                Frames.udp6().hopByHop().destOpts().ports(1, 2).payload(payload),
                Frames.tcp4().ipOptions(new byte[] {1, 1, 1, 1}).ports(7, 8).payload(payload));
    }

    /** The checksum field's offset and the partial value, by a plain walk of the headers. */
    private record Partial(int field, int value) {
    }

    private static Partial partialOf(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int off = 12;
        int type = b.getShort(off) & 0xffff;
        off += 2;
        while (type == 0x8100 || type == 0x88a8) {
            type = b.getShort(off + 2) & 0xffff;
            off += 4;
        }
        long sum = 0;
        int proto;
        int l4;
        int l4Length;
        if (type == 0x0800) {
            proto = frame[off + 9];
            for (int i = 12; i < 20; i += 2) {
                sum += b.getShort(off + i) & 0xffff;
            }
            l4 = off + (frame[off] & 0xf) * 4;
            l4Length = (b.getShort(off + 2) & 0xffff) - (l4 - off);
        } else {
            proto = frame[off + 6];
            for (int i = 8; i < 40; i += 2) {
                sum += b.getShort(off + i) & 0xffff;
            }
            int end = off + 40 + (b.getShort(off + 4) & 0xffff);
            l4 = off + 40;
            while (proto == 0 || proto == 60) {
                proto = frame[l4];
                l4 += ((frame[l4 + 1] & 0xff) + 1) * 8;
            }
            l4Length = end - l4;
        }
        sum += proto + l4Length;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return new Partial(l4 + (proto == 6 ? 16 : 6), (int) sum);
    }

    private static Mbuf load(MbufPool pool, byte[] frame) {
        Mbuf m = pool.get();
        assertThat(m.copyFrom(frame, 0, frame.length)).isTrue();
        return m;
    }

    @Property(tries = 200)
    void partialChecksumsAreFinishedAndFullOnesLeftAlone(@ForAll @Size(max = 300) byte[] payload,
            @ForAll @IntRange(min = 0, max = 7) int shape) {
        byte[] full = shapes(payload).get(shape).build();
        Partial p = partialOf(full);
        byte[] partial = full.clone();
        partial[p.field()] = (byte) (p.value() >>> 8);
        partial[p.field() + 1] = (byte) p.value();
        int fullValue = ((full[p.field()] & 0xff) << 8) | (full[p.field() + 1] & 0xff);
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("csum", 2))) {
            Mbuf m = load(pool, partial);
            assertThat(ChecksumCompleter.completeIfPartial(m)).as("partial form recognised").isTrue();
            assertThat(m.toByteArray()).isEqualTo(full);
            Mbuf again = load(pool, full);
            // A full checksum equals the pseudo-header sum only by chance; then it is computed again, the same.
            assertThat(ChecksumCompleter.completeIfPartial(again)).isEqualTo(fullValue == p.value());
            assertThat(again.toByteArray()).isEqualTo(full);
            pool.put(m);
            pool.put(again);
        }
    }

    @Property(tries = 300)
    void junkChangesNothingButAChecksumField(@ForAll @Size(max = 120) byte[] junk) {
        try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("junk", 1))) {
            Mbuf m = pool.get();
            assertThat(m.copyFrom(junk, 0, junk.length)).isTrue();
            ChecksumCompleter.completeIfPartial(m);
            assertThat(m.length()).isEqualTo(junk.length);
            pool.put(m);
        }
    }

    @Property(tries = 50)
    void otherProtocolsAndFragmentsAreLeftAlone(@ForAll @Size(max = 100) byte[] payload) {
        for (FrameBuilder f : List.of(Frames.icmp4().payload(payload), Frames.sctp4().payload(payload),
                Frames.arp(), Frames.udp4().fragment(8, true).payload(payload))) {
            byte[] frame = f.build();
            try (MbufPool pool = MbufPool.create(MbufPoolConfig.of("other", 1))) {
                Mbuf m = load(pool, frame);
                assertThat(ChecksumCompleter.completeIfPartial(m)).isFalse();
                assertThat(m.toByteArray()).isEqualTo(frame);
                pool.put(m);
            }
        }
    }
}
