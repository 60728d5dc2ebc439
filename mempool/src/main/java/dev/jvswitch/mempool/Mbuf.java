package dev.jvswitch.mempool;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One packet buffer: a fixed slot of the pool's arena plus the metadata the datapath keeps with a
 * packet (DPDK's {@code rte_mbuf}, OVS's {@code dp_packet}).
 *
 * <pre>
 *  slot (capacity bytes, 64-byte aligned)
 *  +-----------------------+==========================+-----------------+
 *  | headroom              | packet data              | tailroom        |
 *  +-----------------------+==========================+-----------------+
 *  0                  dataOffset          dataOffset+length         capacity
 * </pre>
 *
 * <p>There is exactly one {@code Mbuf} object per slot, made when the pool is made, so taking and
 * returning mbufs allocates nothing. {@link #buffer()} is an Agrona buffer over the whole slot:
 * its own bounds checks stop any access from leaving the slot, and code that reads packet bytes
 * additionally checks against {@link #length()} so that it never reads stale bytes past the end
 * of the packet.
 *
 * <p>Header offsets ({@link #l2Offset()}, {@link #l3Offset()}, {@link #l4Offset()}) are relative
 * to the start of the packet data and {@code -1} when the parser did not find that layer.
 * {@link #prepend} and {@link #trimFront} keep them pointing at the same bytes.
 *
 * <p>The tunnel and conntrack metadata and their accessors live in {@link MbufMetadata}.
 *
 * <p><b>Thread-safety:</b> an mbuf has one owner at a time: the thread that took it from the
 * pool, or the thread it was handed to through a queue. Every hand-off in jvswitch goes through a
 * queue whose offer is a release and whose poll is an acquire (JCTools, Agrona), so plain fields
 * suffice. The pool only reads {@link #isFree()} in its leak check, after every user stopped.
 */
public final class Mbuf extends MbufMetadata {
    private final MbufPool pool;
    private final int index;
    private final long address;
    private final int capacity;
    private final int headroom;
    private final UnsafeBuffer buffer;

    private boolean free = true;
    private int dataOffset;
    private int length;

    // Packet metadata (OVS's pkt_metadata), read by the parser into the flow key.
    private int inPort;
    private int rssHash;
    private boolean rssHashValid;
    private int recircId;
    private int recircDepth;
    private int dpHash;
    private int skbMark;

    private short l2Offset;
    private short l3Offset;
    private short l4Offset;

    Mbuf(MbufPool pool, int index, long address, int capacity, int headroom, long optionsAddress) {
        super(new TunnelOptions(optionsAddress));
        this.pool = pool;
        this.index = index;
        this.address = address;
        this.capacity = capacity;
        this.headroom = headroom;
        this.buffer = new UnsafeBuffer(address, capacity);
        reset();
    }

    /** Puts the mbuf back in the state {@link MbufPool} hands it out in. */
    public void reset() {
        dataOffset = headroom;
        length = 0;
        resetMetadata();
    }

    /**
     * Clears everything but the packet bytes and their position: port, hashes, recirculation,
     * tunnel metadata and header offsets (what a zero-copy hand-over to another port must not
     * carry along).
     */
    public void resetMetadata() {
        inPort = 0;
        rssHash = 0;
        rssHashValid = false;
        recircId = 0;
        recircDepth = 0;
        dpHash = 0;
        skbMark = 0;
        clearTunnel();
        clearCt();
        clearHeaderOffsets();
    }

    // ---------------------------------------------------------------- identity and memory

    public MbufPool pool() {
        return pool;
    }

    /** Index of this mbuf's slot in its pool, stable for the life of the pool. */
    public int index() {
        return index;
    }

    /** Address of the slot's first byte (not of the packet data). */
    public long slotAddress() {
        return address;
    }

    /** Address of the first byte of packet data. */
    public long dataAddress() {
        return address + dataOffset;
    }

    /** Buffer over the whole slot; packet bytes are at {@link #dataOffset()}..+{@link #length()}. */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    public int capacity() {
        return capacity;
    }

    public int dataOffset() {
        return dataOffset;
    }

    public int length() {
        return length;
    }

    public int headroom() {
        return dataOffset;
    }

    public int tailroom() {
        return capacity - dataOffset - length;
    }

    /** The largest packet an mbuf of this pool can hold when it starts at the default headroom. */
    public int dataRoom() {
        return capacity - headroom;
    }

    // ---------------------------------------------------------------- data operations

    /** Grows the packet at the front by {@code bytes} (a pushed header); false, changing nothing, if it cannot. */
    public boolean prepend(int bytes) {
        if (bytes < 0 || bytes > dataOffset) {
            return false;
        }
        dataOffset -= bytes;
        length += bytes;
        shiftHeaderOffsets(bytes);
        return true;
    }

    /** Removes {@code bytes} from the front (a popped header); false, changing nothing, if the packet is shorter. */
    public boolean trimFront(int bytes) {
        if (bytes < 0 || bytes > length) {
            return false;
        }
        dataOffset += bytes;
        length -= bytes;
        shiftHeaderOffsets(-bytes);
        return true;
    }

    /**
     * Keeps only the {@code lengthBytes} bytes at {@code offset} of the packet (a tunnel pop's
     * inner frame: the outer headers and any Ethernet padding after the outer IP packet go) and
     * clears the header offsets; false, changing nothing, unless that range lies inside the packet.
     */
    public boolean slice(int offset, int lengthBytes) {
        if (offset < 0 || lengthBytes < 0 || lengthBytes > length - offset) {
            return false;
        }
        dataOffset += offset;
        length = lengthBytes;
        clearHeaderOffsets();
        return true;
    }

    /** Grows the packet at the end by {@code bytes}; false, changing nothing, without the tailroom. */
    public boolean append(int bytes) {
        if (bytes < 0 || bytes > tailroom()) {
            return false;
        }
        length += bytes;
        return true;
    }

    /** Removes {@code bytes} from the end of the packet; false, changing nothing, if it is shorter. */
    public boolean trimBack(int bytes) {
        if (bytes < 0 || bytes > length) {
            return false;
        }
        length -= bytes;
        return true;
    }

    /**
     * Sets the packet to {@code lengthBytes} bytes starting at the default headroom, keeping the bytes already
     * in the slot (for a receive path that wrote them in place); false, changing nothing, if they do not fit.
     */
    public boolean setLength(int lengthBytes) {
        if (lengthBytes < 0 || lengthBytes > capacity - headroom) {
            return false;
        }
        dataOffset = headroom;
        length = lengthBytes;
        clearHeaderOffsets();
        return true;
    }

    /**
     * Declares that the packet is the {@code lengthBytes} bytes at {@code offset} in the slot,
     * written there in place by a device that shares the pool's memory (an AF_XDP frame lands
     * after the kernel's headroom, wherever the device put it); the header offsets are cleared.
     *
     * @return false, changing nothing, if those bytes are not all inside the slot
     */
    public boolean placeData(int offset, int lengthBytes) {
        if (offset < 0 || lengthBytes < 0 || lengthBytes > capacity - offset) {
            return false;
        }
        dataOffset = offset;
        length = lengthBytes;
        clearHeaderOffsets();
        return true;
    }

    /**
     * Replaces the packet with {@code lengthBytes} bytes copied from native memory at
     * {@code srcAddress}, at the default headroom; false, changing nothing, if they do not fit.
     */
    public boolean copyFrom(long srcAddress, int lengthBytes) {
        if (!setLength(lengthBytes)) {
            return false;
        }
        org.agrona.UnsafeApi.copyMemory(srcAddress, address + headroom, lengthBytes);
        return true;
    }

    /** Replaces the packet with bytes copied from {@code src}, at the default headroom; false if they do not fit. */
    public boolean copyFrom(DirectBuffer src, int srcOffset, int lengthBytes) {
        if (!setLength(lengthBytes)) {
            return false;
        }
        buffer.putBytes(headroom, src, srcOffset, lengthBytes);
        return true;
    }

    /** Byte-array form of {@link #copyFrom(DirectBuffer, int, int)}, for tests and tools. */
    public boolean copyFrom(byte[] src, int srcOffset, int lengthBytes) {
        if (!setLength(lengthBytes)) {
            return false;
        }
        buffer.putBytes(headroom, src, srcOffset, lengthBytes);
        return true;
    }

    /** Copies the packet bytes out; allocates, so not for the hot path. */
    public byte[] toByteArray() {
        byte[] out = new byte[length];
        buffer.getBytes(dataOffset, out);
        return out;
    }

    /** Copies the packet data and metadata of {@code src} into this mbuf (for clone and flood). */
    public boolean copyOf(Mbuf src) {
        if (src.length > capacity - headroom) {
            return false;
        }
        int offset = Math.min(src.dataOffset, capacity - src.length);
        buffer.putBytes(offset, src.buffer, src.dataOffset, src.length);
        dataOffset = offset;
        length = src.length;
        inPort = src.inPort;
        rssHash = src.rssHash;
        rssHashValid = src.rssHashValid;
        recircId = src.recircId;
        recircDepth = src.recircDepth;
        dpHash = src.dpHash;
        skbMark = src.skbMark;
        copyMetadataFrom(src);
        l2Offset = src.l2Offset;
        l3Offset = src.l3Offset;
        l4Offset = src.l4Offset;
        return true;
    }

    // ---------------------------------------------------------------- header offsets

    public int l2Offset() {
        return l2Offset;
    }

    public int l3Offset() {
        return l3Offset;
    }

    public int l4Offset() {
        return l4Offset;
    }

    /** Set by the parser; each offset is relative to the packet data, -1 when absent. */
    public void headerOffsets(int l2, int l3, int l4) {
        l2Offset = (short) l2;
        l3Offset = (short) l3;
        l4Offset = (short) l4;
    }

    public void clearHeaderOffsets() {
        l2Offset = -1;
        l3Offset = -1;
        l4Offset = -1;
    }

    private void shiftHeaderOffsets(int bytes) {
        if (l2Offset >= 0) {
            l2Offset = (short) Math.max(-1, l2Offset + bytes);
        }
        if (l3Offset >= 0) {
            l3Offset = (short) Math.max(-1, l3Offset + bytes);
        }
        if (l4Offset >= 0) {
            l4Offset = (short) Math.max(-1, l4Offset + bytes);
        }
    }

    // ---------------------------------------------------------------- packet metadata

    public int inPort() {
        return inPort;
    }

    public void inPort(int port) {
        inPort = port;
    }

    public int rssHash() {
        return rssHash;
    }

    public boolean rssHashValid() {
        return rssHashValid;
    }

    public void rssHash(int hash) {
        rssHash = hash;
        rssHashValid = true;
    }

    public void invalidateRssHash() {
        rssHashValid = false;
    }

    public int recircId() {
        return recircId;
    }

    public void recircId(int id) {
        recircId = id;
    }

    public int recircDepth() {
        return recircDepth;
    }

    public void recircDepth(int depth) {
        recircDepth = depth;
    }

    public int dpHash() {
        return dpHash;
    }

    public void dpHash(int hash) {
        dpHash = hash;
    }

    public int skbMark() {
        return skbMark;
    }

    public void skbMark(int mark) {
        skbMark = mark;
    }

    // ---------------------------------------------------------------- pool bookkeeping

    boolean isFree() {
        return free;
    }

    /** Marks the mbuf taken; called by the pool or a cache just before handing it out. */
    void onTake() {
        free = false;
    }

    /**
     * Marks the mbuf returned; a second return of the same mbuf is a bug that would hand one
     * buffer to two owners, so it fails loudly instead of corrupting traffic later.
     */
    void onReturn() {
        if (free) {
            throw new IllegalStateException("mbuf " + index + " of pool '" + pool.name() + "' returned twice");
        }
        free = true;
        reset();
    }

    @Override
    public String toString() {
        return "Mbuf[" + pool.name() + "#" + index + ", off=" + dataOffset + ", len=" + length + ", port=" + inPort + "]";
    }
}
