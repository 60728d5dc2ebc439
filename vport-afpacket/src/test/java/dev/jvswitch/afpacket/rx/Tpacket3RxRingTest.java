package dev.jvswitch.afpacket.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * The TPACKET_V3 ring reader over blocks written by hand (and one block the kernel wrote, captured
 * from a veth): no socket, no root. Two blocks of 4 KiB; the per-frame work is tested by
 * {@link ReceiveRingContractTest} over these blocks.
 */
class Tpacket3RxRingTest extends ReceiveRingContractTest {
    private static final int BLOCKS = 2;
    private static final int MAC = 82; // where the kernel puts a frame for SOCK_RAW on Ethernet

    private final Tpacket3RxRing rx = Tpacket3RxRing.overMemory(ring.addressOffset(),
            new RingGeometry(BLOCK, BLOCKS, 2048));
    /** The block {@link #hand} writes next, and how many it wrote. */
    private int handed;

    @Override
    ReceiveRing rx() {
        return rx;
    }

    @Override
    void hand(List<Frame> frames) {
        writeBlock(handed++ % BLOCKS, frames);
    }

    @Override
    void assertHandedBack() {
        for (int i = 0; i < Math.min(handed, BLOCKS); i++) {
            assertThat(blockStatus(i)).as("block %d handed back", i).isZero();
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

    private static byte[] goldenBlock() throws IOException {
        try (InputStream in = Tpacket3RxRingTest.class.getResourceAsStream("tpacket-v3-block.hex")) {
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
