package dev.jvswitch.afpacket.rx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.sys.Tpacket2Flyweight;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;

/**
 * The TPACKET_V2 ring reader over slots written by hand (and two slots the kernel wrote,
 * captured from a veth): no socket, no root. Four blocks of 4 KiB hold 16 slots of 256 B each;
 * the per-frame work is tested by {@link ReceiveRingContractTest} over these slots.
 */
class Tpacket2RxRingTest extends ReceiveRingContractTest {
    private static final int BLOCKS = 4;
    private static final int SLOT = 256;
    private static final int SLOTS = BLOCKS * (BLOCK / SLOT);

    private final Tpacket2RxRing rx = Tpacket2RxRing.overMemory(ring.addressOffset(),
            new RingGeometry(BLOCK, BLOCKS, 2048), SLOT);
    /** The slot {@link #hand} writes next, and how many it wrote. */
    private int handed;

    @Override
    ReceiveRing rx() {
        return rx;
    }

    @Override
    void hand(List<Frame> frames) {
        for (Frame f : frames) {
            writeSlot(handed++ % SLOTS, f);
        }
    }

    @Override
    void assertHandedBack() {
        for (int i = 0; i < Math.min(handed, SLOTS); i++) {
            assertThat(slotStatus(i)).as("slot %d handed back", i).isZero();
        }
    }

    /** Writes {@code f} into slot {@code index} and hands it to user space. */
    private void writeSlot(int index, Frame f) {
        int at = offset(index);
        ring.setMemory(at, SLOT, (byte) 0);
        ring.putInt(at + Tpacket2Flyweight.LEN_OFFSET, f.wireLength(), HOST);
        ring.putInt(at + Tpacket2Flyweight.SNAPLEN_OFFSET, f.data().length, HOST);
        ring.putShort(at + Tpacket2Flyweight.MAC_OFFSET, (short) Tpacket2Flyweight.ETHERNET_MAC_OFFSET, HOST);
        ring.putShort(at + Tpacket2Flyweight.VLAN_TCI_OFFSET, (short) f.tci(), HOST);
        ring.putShort(at + Tpacket2Flyweight.VLAN_TPID_OFFSET, (short) f.tpid(), HOST);
        ring.putByte(at + Tpacket2Flyweight.SLL_PKTTYPE_OFFSET, (byte) f.pktType());
        ring.putBytes(at + Tpacket2Flyweight.ETHERNET_MAC_OFFSET, f.data());
        ring.putIntRelease(at + Tpacket2Flyweight.STATUS_OFFSET, Tpacket2Flyweight.TP_STATUS_USER | f.status());
    }

    private static int offset(int slot) {
        return (slot / (BLOCK / SLOT)) * BLOCK + (slot % (BLOCK / SLOT)) * SLOT;
    }

    private int slotStatus(int index) {
        return ring.getIntVolatile(offset(index) + Tpacket2Flyweight.STATUS_OFFSET);
    }

    /** The capture's frames carry the test marker after the EtherType. */
    private static byte[] marked(byte[] f) {
        System.arraycopy("JVSTEST".getBytes(StandardCharsets.US_ASCII), 0, f, 14, 7);
        return f;
    }

    private static List<byte[]> goldenSlots() throws IOException {
        try (InputStream in = Tpacket2RxRingTest.class.getResourceAsStream("tpacket-v2-slots.hex")) {
            List<byte[]> slots = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    slots.add(HexFormat.of().parseHex(line.trim()));
                }
            }
            return slots;
        }
    }

    @Test
    void slotsSizeToTheMbufDataRoomWithinABlock() {
        assertThat(Tpacket2RxRing.slotSize(2048, 65536)).isEqualTo(2128);
        assertThat(Tpacket2RxRing.slotSize(2048, 65536) - Tpacket2Flyweight.ETHERNET_MAC_OFFSET)
                .as("a slot holds a frame that fills an mbuf").isGreaterThanOrEqualTo(2048);
        assertThat(Tpacket2RxRing.slotSize(9216, 4096)).isEqualTo(4096);
        assertThat(rx.slotCount()).isEqualTo(SLOTS);
        assertThat(rx.mode()).isEqualTo(RxRingMode.V2);
    }

    @Test
    void goldenSlotsFromTheKernelParseAndTheirTagsAreRestored() throws IOException {
        // Captured from a veth: two frames the peer sent tagged 802.1Q (pcp 3, vid 100) and
        // 802.1ad (vid 200); the kernel stripped both tags into the slot headers.
        List<byte[]> golden = goldenSlots();
        ring.putBytes(offset(0), golden.get(0));
        ring.putBytes(offset(1), golden.get(1));
        Tpacket2Flyweight first = new Tpacket2Flyweight().wrap(ring, offset(0), SLOT);
        assertThat(first.status() & Tpacket2Flyweight.TP_STATUS_USER).isNotZero();
        assertThat(first.status() & Tpacket3Flyweight.TP_STATUS_VLAN_VALID).isNotZero();
        assertThat(first.status() & Tpacket3Flyweight.TP_STATUS_VLAN_TPID_VALID).isNotZero();
        assertThat(first.len()).isEqualTo(60);
        assertThat(first.snaplen()).isEqualTo(60);
        assertThat(first.mac()).isEqualTo(Tpacket2Flyweight.ETHERNET_MAC_OFFSET);
        assertThat(first.vlanTci()).isEqualTo((3 << 13) | 100);
        assertThat(first.vlanTpid()).isEqualTo(0x8100);
        assertThat(first.packetType()).isEqualTo(2); // PACKET_MULTICAST: 01:02:03:04:05:06
        Tpacket2Flyweight second = new Tpacket2Flyweight().wrap(ring, offset(1), SLOT);
        assertThat(second.snaplen()).isEqualTo(100);
        assertThat(second.vlanTci()).isEqualTo(200);
        assertThat(second.vlanTpid()).isEqualTo(0x88a8);

        List<byte[]> got = recv(1500);
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isEqualTo(tagged(marked(frame(60, 1)), 0x8100, (3 << 13) | 100));
        assertThat(got.get(1)).isEqualTo(tagged(marked(frame(100, 2)), 0x88a8, 200));
        assertThat(slotStatus(0)).as("slot handed back").isZero();
        assertThat(slotStatus(1)).isZero();
        assertThat(counters.get(QueueCounters.PACKETS)).isEqualTo(2);
        assertThat(counters.get(QueueCounters.BYTES)).isEqualTo(168);
        assertThat(recv(1500)).isEmpty();
    }

    @Test
    void aLoneFrameIsReadableAsSoonAsItsSlotIsHandedOver() {
        assertThat(recv(1500)).isEmpty();
        writeSlot(0, Frame.of(frame(60, 1)));
        assertThat(recv(1500)).containsExactly(frame(60, 1));
        assertThat(slotStatus(0)).isZero();
        writeSlot(1, Frame.of(frame(61, 2)));
        assertThat(recv(1500)).containsExactly(frame(61, 2));
    }

    @Test
    void aBatchTakesAtMost32FramesAndTheReaderWrapsAroundTheRing() {
        for (int i = 0; i < 40; i++) {
            writeSlot(i, Frame.of(frame(14, i)));
        }
        List<byte[]> first = recv(1500);
        assertThat(first).hasSize(PacketBatch.MAX_SIZE).startsWith(frame(14, 0));
        assertThat(slotStatus(32)).as("frames beyond the batch stay for the next poll").isNotZero();
        List<byte[]> rest = recv(1500);
        assertThat(rest).hasSize(8).startsWith(frame(14, 32));
        // The kernel fills the last slots, then starts again at slot 0; so does the reader.
        for (int i = 40; i < SLOTS + 3; i++) {
            writeSlot(i % SLOTS, Frame.of(frame(20, i)));
        }
        List<byte[]> wrapped = new ArrayList<>(recv(1500));
        assertThat(wrapped).hasSize(SLOTS + 3 - 40).startsWith(frame(20, 40)).endsWith(frame(20, SLOTS + 2));
        assertThat(recv(1500)).isEmpty();
    }

    @Test
    void aRingSmallerThanABatchIsNeverReadTwiceInOnePass() {
        Tpacket2RxRing tiny = Tpacket2RxRing.overMemory(ring.addressOffset(), new RingGeometry(BLOCK, 1, 2048), 2048);
        writeSlot(0, Frame.of(frame(60, 1)));
        ring.putBytes(2048, ring, 0, SLOT);
        ring.putByte(2048 + Tpacket2Flyweight.ETHERNET_MAC_OFFSET, (byte) 2);
        int n = tiny.readInto(batch, cache, 1500, counters, rxCounters);
        assertThat(n).isEqualTo(2);
        assertThat(batch.get(0).toByteArray()).isEqualTo(frame(60, 1));
        assertThat(batch.get(1).toByteArray()[0]).isEqualTo((byte) 2);
        cache.putAll(batch);
        assertThat(tiny.readInto(batch, cache, 1500, counters, rxCounters)).isZero();
        tiny.close();
    }

    @Test
    void aFloodOfDroppedFramesEndsTheCallAfterABoundedNumberOfSlots() {
        for (int i = 0; i < SLOTS; i++) {
            writeSlot(i, new Frame(frame(100, i), 100, 0, 0, 0, Native.PACKET_OUTGOING));
        }
        assertThat(recv(1500)).isEmpty();
        assertThat(rxCounters.get(RxCounters.OUTGOING_SKIPPED)).isEqualTo(Math.min(SLOTS,
                Tpacket2RxRing.MAX_SLOTS_PER_READ));
    }

    @Test
    void aHeaderPointingOutsideItsSlotIsCountedAndTheSlotSkipped() {
        writeSlot(0, Frame.of(frame(60, 1)));
        ring.putShort(offset(0) + Tpacket2Flyweight.MAC_OFFSET, (short) (SLOT - 10), HOST);
        writeSlot(1, Frame.of(frame(60, 2)));
        ring.putInt(offset(1) + Tpacket2Flyweight.SNAPLEN_OFFSET, SLOT, HOST);
        writeSlot(2, Frame.of(frame(60, 3)));
        ring.putShort(offset(2) + Tpacket2Flyweight.MAC_OFFSET, (short) 20, HOST);
        writeSlot(3, Frame.of(frame(60, 4)));
        assertThat(recv(1500)).containsExactly(frame(60, 4));
        assertThat(rxCounters.get(RxCounters.BAD_BLOCKS)).isEqualTo(3);
        assertThat(slotStatus(0)).isZero();
        assertThat(slotStatus(2)).isZero();
    }
}
