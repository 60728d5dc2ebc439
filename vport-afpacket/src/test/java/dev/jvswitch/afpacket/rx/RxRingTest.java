package dev.jvswitch.afpacket.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * The rx ring reader over blocks written by hand (and one block the kernel wrote, captured from
 * a veth): no socket, no root.
 */
class RxRingTest {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 2;
    private static final ByteOrder HOST = ByteOrder.nativeOrder();
    private static final int MAC = 82; // where the kernel puts a frame for SOCK_RAW on Ethernet

    private final ByteBuffer memory = ByteBuffer.allocateDirect(BLOCK * BLOCKS);
    private final UnsafeBuffer ring = new UnsafeBuffer(memory);
    private final RxRing rx = RxRing.overMemory(ring.addressOffset(), new RingGeometry(BLOCK, BLOCKS, 2048));
    private final QueueCounters counters = new QueueCounters();
    private final RxCounters rxCounters = new RxCounters();
    private final PacketBatch batch = new PacketBatch();
    private MbufPool pool;
    private MbufCache cache;

    @BeforeEach
    void setUp() {
        pool = MbufPool.create(MbufPoolConfig.of("rxring-test", 128));
        cache = pool.newCache();
    }

    @AfterEach
    void tearDown() {
        rx.close();
        pool.releaseCache(cache);
        pool.checkNoLeaks();
        pool.close();
    }

    /** A frame as the kernel would lay it in a block. */
    record Frame(byte[] data, int wireLength, int status, int tci, int tpid, int pktType) {
        static Frame of(byte[] data) {
            return new Frame(data, data.length, 0, 0, 0, 0);
        }
    }

    /** Writes {@code frames} into block {@code index} and hands it to user space. */
    private void writeBlock(int index, List<Frame> frames) {
        int base = index * BLOCK;
        ring.setMemory(base, BLOCK, (byte) 0);
        ring.putInt(base + TpacketBlockFlyweight.VERSION_OFFSET, 2, HOST);
        ring.putInt(base + TpacketBlockFlyweight.NUM_PKTS_OFFSET, frames.size(), HOST);
        ring.putInt(base + TpacketBlockFlyweight.OFFSET_TO_FIRST_PKT_OFFSET, TpacketBlockFlyweight.HEADER_LENGTH, HOST);
        int at = base + TpacketBlockFlyweight.HEADER_LENGTH;
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            int size = (MAC + f.data().length + 15) & ~15;
            ring.putInt(at + Tpacket3Flyweight.NEXT_OFFSET_OFFSET, i + 1 < frames.size() ? size : 0, HOST);
            ring.putInt(at + Tpacket3Flyweight.SNAPLEN_OFFSET, f.data().length, HOST);
            ring.putInt(at + Tpacket3Flyweight.LEN_OFFSET, f.wireLength(), HOST);
            ring.putInt(at + Tpacket3Flyweight.STATUS_OFFSET, 1 | f.status(), HOST);
            ring.putShort(at + Tpacket3Flyweight.MAC_OFFSET, (short) MAC, HOST);
            ring.putInt(at + Tpacket3Flyweight.VLAN_TCI_OFFSET, f.tci(), HOST);
            ring.putShort(at + Tpacket3Flyweight.VLAN_TPID_OFFSET, (short) f.tpid(), HOST);
            ring.putByte(at + Tpacket3Flyweight.SLL_PKTTYPE_OFFSET, (byte) f.pktType());
            ring.putBytes(at + MAC, f.data());
            at += size;
        }
        ring.putIntRelease(base + TpacketBlockFlyweight.BLOCK_STATUS_OFFSET, TpacketBlockFlyweight.TP_STATUS_USER);
    }

    private int blockStatus(int index) {
        return ring.getIntVolatile(index * BLOCK + TpacketBlockFlyweight.BLOCK_STATUS_OFFSET);
    }

    private List<byte[]> recv(int mtu) {
        int n = rx.readInto(batch, cache, mtu, counters, rxCounters);
        assertThat(batch.size()).isEqualTo(n);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(batch.get(i).toByteArray());
        }
        cache.putAll(batch);
        return out;
    }

    private static byte[] frame(int size, int seed) {
        byte[] f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (seed + i);
        }
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        return f;
    }

    private static byte[] tagged(byte[] f, int tpid, int tci) {
        return ByteBuffer.allocate(f.length + 4).put(f, 0, 12).putShort((short) tpid).putShort((short) tci)
                .put(f, 12, f.length - 12).array();
    }

    private static byte[] goldenBlock() throws IOException {
        try (InputStream in = RxRingTest.class.getResourceAsStream("tpacket-v3-block.hex")) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }

    @Test
    void goldenBlockFromTheKernelParsesAndItsTagsAreRestored() throws IOException {
        // Captured from a veth: two frames the peer sent tagged 802.1Q (pcp 3, vid 100) and
        // 802.1ad (vid 200); the kernel stripped both tags into the headers.
        ring.putBytes(0, goldenBlock());
        TpacketBlockFlyweight block = new TpacketBlockFlyweight().wrap(ring, 0, BLOCK);
        assertThat(block.version()).isEqualTo(2);
        assertThat(block.blockStatus() & TpacketBlockFlyweight.TP_STATUS_USER).isNotZero();
        assertThat(block.blockStatus() & TpacketBlockFlyweight.TP_STATUS_BLK_TMO).isNotZero();
        assertThat(block.numPackets()).isEqualTo(2);
        assertThat(block.offsetToFirstPacket()).isEqualTo(48);
        assertThat(block.blockLength()).isEqualTo(376);

        Tpacket3Flyweight first = new Tpacket3Flyweight().wrap(ring, 48, BLOCK - 48);
        assertThat(first.nextOffset()).isEqualTo(144);
        assertThat(first.snaplen()).isEqualTo(60);
        assertThat(first.len()).isEqualTo(60);
        assertThat(first.mac()).isEqualTo(82);
        assertThat(first.status() & Tpacket3Flyweight.TP_STATUS_VLAN_VALID).isNotZero();
        assertThat(first.status() & Tpacket3Flyweight.TP_STATUS_VLAN_TPID_VALID).isNotZero();
        assertThat(first.vlanTci()).isEqualTo((3 << 13) | 100);
        assertThat(first.vlanTpid()).isEqualTo(0x8100);
        assertThat(first.packetType()).isEqualTo(3); // PACKET_OTHERHOST: not addressed to the veth
        Tpacket3Flyweight second = new Tpacket3Flyweight().wrap(ring, 48 + 144, BLOCK - 48 - 144);
        assertThat(second.nextOffset()).isZero();
        assertThat(second.snaplen()).isEqualTo(100);
        assertThat(second.vlanTci()).isEqualTo(200);
        assertThat(second.vlanTpid()).isEqualTo(0x88a8);

        List<byte[]> got = recv(1500);
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).hasSize(64);
        assertThat(ByteBuffer.wrap(got.get(0), 12, 6).getInt()).isEqualTo(0x8100_6064);
        assertThat(ByteBuffer.wrap(got.get(0), 16, 2).getShort()).isEqualTo((short) 0x88b5);
        assertThat(new String(got.get(0), 18, 7, StandardCharsets.US_ASCII)).isEqualTo("JVSTEST");
        assertThat(got.get(1)).hasSize(104);
        assertThat(ByteBuffer.wrap(got.get(1), 12, 4).getInt()).isEqualTo(0x88a8_00c8);
        assertThat(blockStatus(0)).as("block handed back").isZero();
        assertThat(counters.get(QueueCounters.PACKETS)).isEqualTo(2);
        assertThat(counters.get(QueueCounters.BYTES)).isEqualTo(168);
        assertThat(recv(1500)).isEmpty();
    }

    @Test
    void framesAreCopiedAndTagsRestoredWithTheirTpid() {
        byte[] plain = frame(60, 1);
        byte[] dot1q = frame(100, 2);
        byte[] qinq = frame(120, 3);
        int vlan = Tpacket3Flyweight.TP_STATUS_VLAN_VALID;
        int tpid = Tpacket3Flyweight.TP_STATUS_VLAN_TPID_VALID;
        writeBlock(0, List.of(Frame.of(plain),
                new Frame(dot1q, dot1q.length, vlan, 7, 0, 0),            // old kernel: no tpid, 802.1Q
                new Frame(qinq, qinq.length, vlan | tpid, 9, 0x88a8, 0)));
        List<byte[]> got = recv(1500);
        assertThat(got).containsExactly(plain, tagged(dot1q, 0x8100, 7), tagged(qinq, 0x88a8, 9));
    }

    @Test
    void truncatedOutgoingAndOversizedFramesAreCountedNotDelivered() {
        byte[] ok = frame(514, 1);
        writeBlock(0, List.of(
                new Frame(frame(200, 2), 3000, 0, 0, 0, 0),                          // truncated
                new Frame(frame(100, 3), 100, 0, 0, 0, Native.PACKET_OUTGOING),      // our own
                Frame.of(frame(515, 4)),                                             // MTU 500 + 14 + 1
                new Frame(frame(514, 5), 514, Tpacket3Flyweight.TP_STATUS_VLAN_VALID, 5, 0x8100, 0), // 518 tagged: fits
                Frame.of(ok)));
        List<byte[]> got = recv(500);
        assertThat(got).containsExactly(tagged(frame(514, 5), 0x8100, 5), ok);
        assertThat(counters.get(QueueCounters.TRUNCATED)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.OVERSIZE)).isEqualTo(1);
        assertThat(counters.get(QueueCounters.DROPPED)).isEqualTo(2);
        assertThat(rxCounters.get(RxCounters.OUTGOING_SKIPPED)).isEqualTo(1);
        assertThat(blockStatus(0)).isZero();
    }

    @Test
    void framesStayInTheRingAcrossBatchesAndBlocksAreReadInOrder() {
        List<Frame> first = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(Frame.of(frame(14, i)));
        }
        writeBlock(0, first);
        writeBlock(1, List.of(Frame.of(frame(60, 100))));
        assertThat(recv(1500)).hasSize(PacketBatch.MAX_SIZE);
        assertThat(blockStatus(0)).as("block kept until its last frame is read").isNotZero();
        List<byte[]> rest = recv(1500);
        assertThat(rest).hasSize(9).startsWith(frame(14, 32));
        assertThat(rest.get(8)).isEqualTo(frame(60, 100));
        assertThat(blockStatus(0)).isZero();
        assertThat(blockStatus(1)).isZero();
        // The kernel refills block 0 next; the reader wraps around to it.
        writeBlock(0, List.of(Frame.of(frame(70, 7))));
        assertThat(recv(1500)).containsExactly(frame(70, 7));
    }

    @Test
    void aPoolRunningDryDropsAndCountsWithoutStallingTheRing() {
        MbufCache empty = pool.newCache();
        List<dev.jvswitch.mempool.Mbuf> held = new ArrayList<>();
        dev.jvswitch.mempool.Mbuf m;
        while ((m = pool.get()) != null) {
            held.add(m);
        }
        writeBlock(0, List.of(Frame.of(frame(60, 1)), Frame.of(frame(60, 2))));
        assertThat(rx.readInto(batch, empty, 1500, counters, rxCounters)).isZero();
        assertThat(counters.get(QueueCounters.NO_MBUF)).isEqualTo(2);
        assertThat(blockStatus(0)).isZero();
        held.forEach(pool::put);
        pool.releaseCache(empty);
    }

    @Test
    void aHeaderPointingOutsideItsBlockAbandonsTheBlock() {
        writeBlock(0, List.of(Frame.of(frame(60, 1)), Frame.of(frame(60, 2)), Frame.of(frame(60, 3))));
        ring.putInt(TpacketBlockFlyweight.HEADER_LENGTH + Tpacket3Flyweight.NEXT_OFFSET_OFFSET, BLOCK * 2, HOST);
        assertThat(recv(1500)).containsExactly(frame(60, 1));
        assertThat(rxCounters.get(RxCounters.BAD_BLOCKS)).isEqualTo(1);
        assertThat(blockStatus(0)).isZero();

        writeBlock(1, List.of(Frame.of(frame(60, 4))));
        ring.putShort(BLOCK + TpacketBlockFlyweight.HEADER_LENGTH + Tpacket3Flyweight.MAC_OFFSET, (short) 20, HOST);
        assertThat(recv(1500)).isEmpty();
        assertThat(rxCounters.get(RxCounters.BAD_BLOCKS)).isEqualTo(2);
        assertThat(blockStatus(1)).isZero();
    }
}
