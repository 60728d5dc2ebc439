package dev.jvswitch.pmd.netdev;

/**
 * A port's counters, added up by {@link Netdev#readStats}. Plain mutable holder owned by whoever
 * reads; the port never keeps a reference to it.
 *
 * <p>{@code rxDropped} covers packets the port saw but could not deliver (no mbuf, ring full,
 * truncated, oversized); the specific reasons that make it up are broken out below when the port
 * type knows them.
 */
public final class NetdevStats {
    public long rxPackets;
    public long rxBytes;
    public long rxDropped;
    public long rxErrors;
    public long txPackets;
    public long txBytes;
    public long txDropped;
    public long txErrors;

    /** Of {@code rxDropped}: no free mbuf in the pool. */
    public long rxNoMbuf;
    /** Of {@code rxDropped}: frame cut short by the capture ring (snaplen below frame length). */
    public long rxTruncated;
    /** Of {@code rxDropped}: frame longer than the port's MTU allows. */
    public long rxOversize;
    /** Of {@code txDropped}: the device's transmit queue or ring had no room. */
    public long txQueueFull;
    /** Of {@code txDropped}: the link was down. */
    public long txLinkDown;
    /** Times the link was seen going down. */
    public long linkDownEvents;

    public void clear() {
        rxPackets = rxBytes = rxDropped = rxErrors = 0;
        txPackets = txBytes = txDropped = txErrors = 0;
        rxNoMbuf = rxTruncated = rxOversize = txQueueFull = txLinkDown = linkDownEvents = 0;
    }

    @Override
    public String toString() {
        return "rx packets=" + rxPackets + " bytes=" + rxBytes + " drop=" + rxDropped + " errors=" + rxErrors
                + " (no_mbuf=" + rxNoMbuf + " truncated=" + rxTruncated + " oversize=" + rxOversize + ")"
                + ", tx packets=" + txPackets + " bytes=" + txBytes + " drop=" + txDropped + " errors=" + txErrors
                + " (queue_full=" + txQueueFull + " link_down=" + txLinkDown + ")";
    }
}
