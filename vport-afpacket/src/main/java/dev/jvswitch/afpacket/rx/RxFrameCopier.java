package dev.jvswitch.afpacket.rx;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

import dev.jvswitch.afpacket.sys.Native;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufCache;
import dev.jvswitch.mempool.PacketBatch;
import dev.jvswitch.pmd.netdev.QueueCounters;
import dev.jvswitch.pmd.netdev.csum.ChecksumCompleter;

/**
 * What every ring reader ({@link ReceiveRing}) does with one frame the kernel handed over,
 * wherever in the ring it lies: check that it lies there ({@link #fits}), skip frames this host
 * sent, drop truncated and oversized ones, copy the rest into an mbuf (putting back the VLAN tag
 * the kernel took off), complete a checksum left to offload, and tally it all for one batch.
 *
 * <p>{@link ReceiveRing#readInto} calls {@link #begin}, the ring's reader {@link #onFrame} for
 * each frame, then {@code readInto} calls {@link #end}, which adds the tallies to the queue's
 * counters (so counters are written once per batch, not per frame).
 *
 * <p><b>Thread-safety:</b> one per ring, used by the ring's owner only.
 */
final class RxFrameCopier {
    private static final ByteOrder NET = ByteOrder.BIG_ENDIAN;
    private static final int ETH_HEADER_BYTES = 14;
    private static final int MAC_ADDRESSES_BYTES = 12;
    private static final int VLAN_HEADER_BYTES = 4;
    private static final int ETH_TYPE_VLAN = 0x8100;
    private static final int ETH_TYPE_QINQ = 0x88a8;

    private PacketBatch batch;
    private MbufCache cache;
    private int mtu;
    private int dataRoom;

    int received;
    private long bytes;
    private int truncated;
    private int oversize;
    private int noMbuf;
    private int outgoing;
    private int csumCompleted;
    private int csumUnfixed;

    void begin(PacketBatch batch, MbufCache cache, int mtu) {
        this.batch = batch;
        this.cache = cache;
        this.mtu = mtu;
        this.dataRoom = cache.pool().config().dataRoomBytes();
        received = 0;
        bytes = 0;
        truncated = 0;
        oversize = 0;
        noMbuf = 0;
        outgoing = 0;
        csumCompleted = 0;
        csumUnfixed = 0;
    }

    /**
     * Whether a frame whose header says it starts {@code mac} bytes after the header and holds
     * {@code snaplen} bytes lies within the {@code room} bytes its slot or block has from the
     * header on: the bounds check of every frame before {@link #onFrame} reads it.
     *
     * @param minMac the header and the {@code sockaddr_ll} after it: no frame starts before this
     */
    static boolean fits(int mac, int snaplen, int minMac, int room) {
        return mac >= minMac && snaplen >= 0 && mac <= room && snaplen <= room - mac;
    }

    /**
     * One frame: {@code snaplen} bytes at {@code data} in {@code ring}, which the caller has
     * checked lie within the frame's slot or block ({@link #fits}).
     *
     * @param wireLength the frame's length on the wire ({@code tp_len}): more than snaplen means truncated
     * @param status     the frame's {@code tp_status} flags
     * @param packetType {@code sll_pkttype}
     * @param vlanTci    {@code tp_vlan_tci}, used when {@code TP_STATUS_VLAN_VALID}
     * @param vlanTpid   {@code tp_vlan_tpid}, used when {@code TP_STATUS_VLAN_TPID_VALID}
     */
    void onFrame(UnsafeBuffer ring, int data, int snaplen, int wireLength, int status, int packetType, int vlanTci,
            int vlanTpid) {
        if (packetType == Native.PACKET_OUTGOING) {
            outgoing++;
            return;
        }
        if (snaplen < wireLength) {
            truncated++;
            return;
        }
        final boolean restoreTag = (status & Tpacket3Flyweight.TP_STATUS_VLAN_VALID) != 0
                && snaplen >= MAC_ADDRESSES_BYTES;
        final int length = restoreTag ? snaplen + VLAN_HEADER_BYTES : snaplen;
        int limit = mtu + ETH_HEADER_BYTES + (restoreTag ? VLAN_HEADER_BYTES : 0);
        if (snaplen >= ETH_HEADER_BYTES && isVlanType(ring.getShort(data + MAC_ADDRESSES_BYTES, NET) & 0xffff)) {
            limit += VLAN_HEADER_BYTES;
            if (!restoreTag && snaplen >= ETH_HEADER_BYTES + VLAN_HEADER_BYTES
                    && isVlanType(ring.getShort(data + MAC_ADDRESSES_BYTES + VLAN_HEADER_BYTES, NET) & 0xffff)) {
                limit += VLAN_HEADER_BYTES;
            }
        }
        if (length > limit || length > dataRoom) {
            oversize++;
            return;
        }
        final Mbuf m = cache.get();
        if (m == null) {
            noMbuf++;
            return;
        }
        if (restoreTag) {
            int tpid = (status & Tpacket3Flyweight.TP_STATUS_VLAN_TPID_VALID) != 0 ? vlanTpid : ETH_TYPE_VLAN;
            copyWithTag(m, ring, data, snaplen, tpid, vlanTci);
        } else {
            m.copyFrom(ring.addressOffset() + data, snaplen);
        }
        if ((status & Tpacket3Flyweight.TP_STATUS_CSUMNOTREADY) != 0) {
            if (ChecksumCompleter.complete(m)) {
                csumCompleted++;
            } else {
                csumUnfixed++;
            }
        }
        batch.add(m);
        received++;
        bytes += length;
    }

    /** Adds this batch's tallies to the queue's counters. */
    void end(QueueCounters counters, RxCounters rxCounters) {
        if (received > 0) {
            counters.add(QueueCounters.PACKETS, received);
            counters.add(QueueCounters.BYTES, bytes);
        }
        int dropped = truncated + oversize + noMbuf;
        if (dropped > 0) {
            counters.add(QueueCounters.DROPPED, dropped);
            counters.add(QueueCounters.TRUNCATED, truncated);
            counters.add(QueueCounters.OVERSIZE, oversize);
            counters.add(QueueCounters.NO_MBUF, noMbuf);
        }
        if ((outgoing | csumCompleted | csumUnfixed) != 0) {
            rxCounters.add(RxCounters.OUTGOING_SKIPPED, outgoing);
            rxCounters.add(RxCounters.CSUM_COMPLETED, csumCompleted);
            rxCounters.add(RxCounters.CSUM_UNFIXED, csumUnfixed);
        }
        batch = null;
        cache = null;
    }

    private static boolean isVlanType(int ethType) {
        return ethType == ETH_TYPE_VLAN || ethType == ETH_TYPE_QINQ;
    }

    /** Copies a frame whose outer tag the kernel removed, putting the tag back after the MACs. */
    private static void copyWithTag(Mbuf m, UnsafeBuffer ring, int data, int snaplen, int tpid, int tci) {
        m.setLength(snaplen + VLAN_HEADER_BYTES);
        UnsafeBuffer out = m.buffer();
        int o = m.dataOffset();
        out.putBytes(o, ring, data, MAC_ADDRESSES_BYTES);
        out.putShort(o + MAC_ADDRESSES_BYTES, (short) tpid, NET);
        out.putShort(o + MAC_ADDRESSES_BYTES + 2, (short) tci, NET);
        out.putBytes(o + MAC_ADDRESSES_BYTES + VLAN_HEADER_BYTES, ring, data + MAC_ADDRESSES_BYTES,
                snaplen - MAC_ADDRESSES_BYTES);
    }
}
