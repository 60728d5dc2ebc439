package dev.jvswitch.conntrack;

import static dev.jvswitch.conntrack.CtState.EST;
import static dev.jvswitch.conntrack.CtState.INV;
import static dev.jvswitch.conntrack.CtState.NEW;
import static dev.jvswitch.conntrack.CtState.RPL;
import static dev.jvswitch.conntrack.CtState.SNAT;
import static dev.jvswitch.conntrack.CtState.TRK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.testkit.frame.Fragmenter;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Fragment reassembly before ct, as the executor's ct action runs it: fragments leave the batch,
 * a whole datagram goes through conntrack reassembled, and its fragments come back with its ct
 * state (and NAT); overlapping, too small, malformed and expired fragments are counted, never
 * leaked, and the ones ipf does not take are {@code inv} to conntrack.
 */
class IpfTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("ipf-test", 256).withCacheSize(0));
    private final Conntrack ct = new Conntrack();
    private final Ipf ipf = ct.ipf();
    private final CtContext ctx = ct.newContext();
    private final Object action = new Object();
    private long now = 1_000;

    @AfterEach
    void close() {
        ipf.sweep(Long.MAX_VALUE);
        assertThat(ipf.heldFragments()).isZero();
        assertThat(pool.leakCount()).isZero();
        pool.close();
    }

    /** One ct action over {@code frames} as one batch; returns what leaves it (caller frees). */
    private List<Mbuf> ct(List<byte[]> frames, int flags, NatParams nat) {
        PacketBatch batch = new PacketBatch();
        for (byte[] f : frames) {
            batch.add(CtTestPackets.load(pool, f));
        }
        boolean frags = ipf.preprocess(batch, 0, action, 0, now);
        for (int k = 0; k < batch.size(); k++) {
            ct.execute(ctx, batch.get(k), 0, flags, 0, 0, 0, 0, 0, 0, nat, now);
        }
        if (frags) {
            ipf.postprocess(batch, action, 0);
        }
        List<Mbuf> out = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            out.add(batch.get(k));
        }
        return out;
    }

    private List<Integer> states(List<Mbuf> out) {
        List<Integer> s = new ArrayList<>();
        for (Mbuf m : out) {
            s.add(m.ctState());
            pool.put(m);
        }
        return s;
    }

    private static byte[] udp4(String src, String dst, int sport, int dport, int payload) {
        return Frames.udp4().ip(src, dst).ports(sport, dport).payload(new byte[payload]).build();
    }

    private static byte[] udp6(String src, String dst, int sport, int dport, int payload) {
        return Frames.udp6().ip(src, dst).ports(sport, dport).payload(new byte[payload]).build();
    }

    @Test
    void aFragmentedUdpDatagramIsTrackedWholeAndItsFragmentsGoOnWithItsState() {
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 7);
        assertThat(frags).hasSize(3);
        assertThat(states(ct(frags, Conntrack.COMMIT, null))).containsExactly(NEW | TRK, NEW | TRK, NEW | TRK);
        assertThat(ct.connectionCount()).isEqualTo(1);
        List<byte[]> reply = Fragmenter.split(udp4("10.0.0.2", "10.0.0.1", 53, 1000, 3000), 1400, 8);
        assertThat(states(ct(reply, 0, null))).containsOnly(EST | RPL | TRK).hasSize(3);
        assertThat(ipf.counters(false)[Ipf.ACCEPTED]).isEqualTo(6);
        assertThat(ipf.counters(false)[Ipf.COMPLETED]).isEqualTo(6);
        assertThat(ipf.heldFragments()).isZero();
    }

    @Test
    void fragmentsArrivingOutOfOrderOverBatchesAreHeldUntilTheDatagramIsWhole() {
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 4000), 1400, 9);
        assertThat(ct(List.of(frags.get(2)), Conntrack.COMMIT, null)).isEmpty();
        assertThat(ct(List.of(frags.get(1)), Conntrack.COMMIT, null)).isEmpty();
        assertThat(ipf.heldFragments()).isEqualTo(2);
        assertThat(states(ct(List.of(frags.get(0)), Conntrack.COMMIT, null))).containsOnly(NEW | TRK).hasSize(3);
        assertThat(ct.connectionCount()).isEqualTo(1);
    }

    @Test
    void ipv6FragmentsAreReassembledToo() {
        List<byte[]> frags = Fragmenter.split(udp6("fd00::1", "fd00::2", 1000, 53, 3000), 1400, 0x1234);
        assertThat(states(ct(frags, Conntrack.COMMIT, null))).containsOnly(NEW | TRK).hasSize(3);
        assertThat(ct.connectionCount()).isEqualTo(1);
        assertThat(ipf.counters(true)[Ipf.COMPLETED]).isEqualTo(3);
    }

    @Test
    void anOverlappingFragmentIsCountedAndInvalid() {
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 10);
        assertThat(ct(List.of(frags.get(0)), Conntrack.COMMIT, null)).isEmpty();
        // The same bytes again, and a fragment starting inside the first one.
        byte[] inside = frags.get(1).clone();
        ByteBuffer.wrap(inside).putShort(20, (short) (0x2000 | (1392 / 8)));
        Fragmenter.checksum(ByteBuffer.wrap(inside), 14, 20);
        assertThat(states(ct(List.of(frags.get(0), inside), Conntrack.COMMIT, null))).containsExactly(INV | TRK,
                INV | TRK);
        assertThat(ipf.counters(false)[Ipf.OVERLAP]).isEqualTo(2);
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void aSmallFragmentThatIsNotTheLastIsTooSmall() {
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 2000), 504, 11);
        assertThat(states(ct(List.of(frags.get(0)), Conntrack.COMMIT, null))).containsExactly(INV | TRK);
        assertThat(ipf.counters(false)[Ipf.TOO_SMALL]).isEqualTo(1);
        ipf.minFragSize(false, 400);
        assertThat(states(ct(frags, Conntrack.COMMIT, null))).containsOnly(NEW | TRK).hasSize(4);
    }

    @Test
    void malformedFragmentsAreLeftToConntrackWhichMarksThemInvalid() {
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 12);
        byte[] badSum = frags.get(0).clone();
        badSum[24] ^= 0x55; // header checksum
        byte[] beyond = frags.get(2).clone();
        ByteBuffer.wrap(beyond).putShort(20, (short) 0x1fff); // offset 65528 + payload > 65535
        Fragmenter.checksum(ByteBuffer.wrap(beyond), 14, 20);
        byte[] truncated = java.util.Arrays.copyOf(frags.get(1), 200); // total length beyond the frame
        // Not a multiple of 8 though more follow (a flood of these must hold no list).
        List<byte[]> odd = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 16);
        byte[] ragged = java.util.Arrays.copyOf(odd.get(0), odd.get(0).length - 3);
        ByteBuffer.wrap(ragged).putShort(16, (short) (ragged.length - 14));
        Fragmenter.checksum(ByteBuffer.wrap(ragged), 14, 20);
        assertThat(states(ct(List.of(badSum, beyond, truncated, ragged), Conntrack.COMMIT, null)))
                .containsExactly(INV | TRK, INV | TRK, INV | TRK, INV | TRK);
        assertThat(ipf.listCount()).isZero();
    }

    @Test
    void anIncompleteListExpiresAndItsFragmentsAreFreedAndCounted() {
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 13);
        ct(List.of(frags.get(0), frags.get(1)), Conntrack.COMMIT, null);
        assertThat(ipf.heldFragments()).isEqualTo(2);
        assertThat(ipf.status(true)).endsWith("        Fragment Lists:\n\n(src=10.0.0.1,dst=10.0.0.2,recirc_id=0,"
                + "ip_id=13,dl_type=0x800,zone=0,nw_proto=17,num_fragments=2,state=first frag)\n");
        ipf.sweep(now + Ipf.LIST_TIMEOUT_MS - 1);
        assertThat(ipf.heldFragments()).isEqualTo(2);
        ipf.sweep(now + Ipf.LIST_TIMEOUT_MS);
        assertThat(ipf.heldFragments()).isZero();
        assertThat(ipf.counters(false)[Ipf.EXPIRED]).isEqualTo(2);
    }

    @Test
    void aFloodOfFirstFragmentsIsBoundedByMaxFrags() {
        ipf.maxFrags(5);
        List<byte[]> firsts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            firsts.add(Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000 + i, 53, 3000), 1400, 100 + i).get(0));
        }
        assertThat(states(ct(firsts, Conntrack.COMMIT, null))).containsExactly(INV | TRK, INV | TRK, INV | TRK);
        assertThat(ipf.heldFragments()).isEqualTo(5);
    }

    @Test
    void disabledFamiliesLeaveFragmentsToConntrack() {
        ipf.enabled(false, false);
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 14);
        assertThat(states(ct(frags, Conntrack.COMMIT, null))).containsOnly(INV | TRK).hasSize(3);
        assertThat(ipf.status()).contains("        v4 enabled: 0\n", "        v6 enabled: 1\n",
                "        max num frags (v4/v6): 1000\n", "        min v4 frag size: 1200\n");
    }

    @Test
    void snatRewritesEveryFragmentsAddressAndTheFirstOnesPorts() {
        NatParams snat = new NatParams().set(NatParams.SRC, false, true, 0, 0xc0000264L, 0, 0, 7000, 7000);
        List<byte[]> frags = Fragmenter.split(udp4("10.0.0.1", "10.0.0.2", 1000, 53, 3000), 1400, 15);
        List<Mbuf> out = ct(frags, Conntrack.COMMIT, snat);
        assertThat(out).hasSize(3);
        byte[] whole = new byte[28 + 3008];
        for (Mbuf m : out) {
            assertThat(m.ctState()).isEqualTo(NEW | SNAT | TRK);
            byte[] b = m.toByteArray();
            ByteBuffer bb = ByteBuffer.wrap(b);
            assertThat(bb.getInt(26)).isEqualTo(0xc0000264); // 192.0.2.100
            assertThat(CtChecksum.verifies(m.buffer(), m.dataOffset() + 14, 20, 0)).isTrue();
            int off = (bb.getShort(20) & 0x1fff) * 8;
            int len = (bb.getShort(16) & 0xffff) - 20;
            System.arraycopy(b, 34, whole, 28 + off, len);
            if (off == 0) {
                assertThat(bb.getShort(34) & 0xffff).isEqualTo(7000);
            }
            pool.put(m);
        }
        // The UDP checksum the first fragment carries is right for the translated datagram.
        int sum = 0xc000 + 0x0264 + 0x0a00 + 0x0002 + 17 + 3008;
        for (int i = 28; i < whole.length; i += 2) {
            sum += ((whole[i] & 0xff) << 8) | (whole[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertThat(sum).isEqualTo(0xffff);
    }
}
