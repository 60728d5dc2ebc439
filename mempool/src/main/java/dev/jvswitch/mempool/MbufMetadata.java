package dev.jvswitch.mempool;

/**
 * The metadata an {@link Mbuf} keeps for a packet that crossed a tunnel or went through
 * connection tracking (the {@code flow_tnl} and ct fields of OVS's {@code pkt_metadata}): set by
 * a tunnel pop, a {@code set_field} or the ct action, read into the flow key by the parser, and
 * cleared when the mbuf goes back to its pool. Only {@link Mbuf} extends it; it is a class of its
 * own to keep {@code Mbuf} to its packet bytes, offsets and pool bookkeeping.
 *
 * <p><b>Thread-safety:</b> as {@link Mbuf}: one owner at a time.
 */
public abstract class MbufMetadata {
    // Layout: the JVM places a superclass's fields before its subclass's, each size in the order
    // declared, and an int in the gap after the object header. The fields are declared so that
    // the ones every packet's parse and reset read (ctState, tunnelSet, ctSet) and the ones a tunnel
    // pop writes (tunnelId, tunnelIpv4, tunnelTransport) end up last, next to Mbuf's own, and a
    // cold int fills the gap at the front.

    // Connection tracking metadata (OVS's ct_state/zone/mark/label and ct_orig_tuple), written by
    // the ct action and read into the key's ct fields; it survives recirculation, and a new
    // packet from a port starts with none. ctSet is false while every ct field is 0, so that a
    // reset skips them for the packets that were never tracked (as tunnelSet does).
    private int ctOrigTpSrc;
    private int ctOrigTpDst;
    private int ctOrigProto;
    private int ctZone;
    private int ctMark;
    private int ctState;
    private long ctOrigSrcHi;
    private long ctOrigSrcLo;
    private long ctOrigDstHi;
    private long ctOrigDstLo;
    private long ctLabelHi;
    private long ctLabelLo;
    private boolean ctOrigIpv6;
    private boolean ctSet;

    // Tunnel metadata, set by a tunnel pop and read into the key's tunnel fields. tunnelSet is
    // false while every tunnel field is 0, so that the parser and a reset skip them for the
    // packets that never crossed a tunnel (nearly all of them). The IPv4 fields are kept packed
    // in two words (see tunnelIpv4Word and tunnelTransportWord), as the flow key holds them, so a
    // pop writes and the parser reads two longs instead of seven fields.
    // An IPv6 underlay's addresses (high and low 64 bits, network order); zero over IPv4.
    private long tunnelIpv6SrcHi;
    private long tunnelIpv6SrcLo;
    private long tunnelIpv6DstHi;
    private long tunnelIpv6DstLo;
    private long tunnelId;
    private long tunnelIpv4;
    private long tunnelTransport;
    // False only while the four IPv6 words are 0 (an IPv4 underlay: nearly every tunnel).
    private boolean tunnelIpv6Set;
    private boolean tunnelSet;

    private final TunnelOptions tunnelOptions;

    MbufMetadata(TunnelOptions tunnelOptions) {
        this.tunnelOptions = tunnelOptions;
    }

    /** Copies every tunnel and ct field (and the tunnel options) of {@code src}. */
    final void copyMetadataFrom(MbufMetadata src) {
        tunnelSet = src.tunnelSet;
        tunnelIpv6Set = src.tunnelIpv6Set;
        tunnelId = src.tunnelId;
        tunnelIpv4 = src.tunnelIpv4;
        tunnelTransport = src.tunnelTransport;
        tunnelIpv6SrcHi = src.tunnelIpv6SrcHi;
        tunnelIpv6SrcLo = src.tunnelIpv6SrcLo;
        tunnelIpv6DstHi = src.tunnelIpv6DstHi;
        tunnelIpv6DstLo = src.tunnelIpv6DstLo;
        tunnelOptions.copyFrom(src.tunnelOptions);
        ctSet = src.ctSet;
        ctState = src.ctState;
        ctZone = src.ctZone;
        ctMark = src.ctMark;
        ctLabelHi = src.ctLabelHi;
        ctLabelLo = src.ctLabelLo;
        ctOrigProto = src.ctOrigProto;
        ctOrigSrcHi = src.ctOrigSrcHi;
        ctOrigSrcLo = src.ctOrigSrcLo;
        ctOrigDstHi = src.ctOrigDstHi;
        ctOrigDstLo = src.ctOrigDstLo;
        ctOrigTpSrc = src.ctOrigTpSrc;
        ctOrigTpDst = src.ctOrigTpDst;
        ctOrigIpv6 = src.ctOrigIpv6;
    }

    // ---------------------------------------------------------------- tunnel metadata

    /** True when a tunnel pop (or set_tunnel) filled the tunnel fields. */
    public boolean hasTunnel() {
        return tunnelIpv4 != 0 || tunnelIpv6Set;
    }

    /**
     * False only when every tunnel field is 0 (true once a pop or set_field wrote them, whatever
     * it wrote): readers of the tunnel fields may skip them all when it is false.
     */
    public boolean tunnelSet() {
        return tunnelSet;
    }

    /**
     * False only when the four IPv6 tunnel words are 0: readers may skip them when it is false
     * (every packet of an IPv4 underlay).
     */
    public boolean tunnelIpv6Set() {
        return tunnelIpv6Set;
    }

    public void clearTunnel() {
        if (!tunnelSet) {
            return;
        }
        tunnelSet = false;
        tunnelId = 0;
        tunnelIpv4 = 0;
        tunnelTransport = 0;
        clearTunnelIpv6();
        tunnelOptions.clear();
    }

    private void clearTunnelIpv6() {
        if (tunnelIpv6Set) {
            tunnelIpv6Set = false;
            tunnelIpv6SrcHi = 0;
            tunnelIpv6SrcLo = 0;
            tunnelIpv6DstHi = 0;
            tunnelIpv6DstLo = 0;
        }
    }

    /** The raw tunnel options a pop kept (Geneve's), cleared with the other tunnel fields. */
    public TunnelOptions tunnelOptions() {
        return tunnelOptions;
    }

    /** Sets the IPv4 tunnel fields (the IPv6 addresses stay as they are). */
    public void tunnel(long id, int ipv4Src, int ipv4Dst, int tos, int ttl, int flags, int tpSrc, int tpDst) {
        tunnelSet = true;
        tunnelId = id;
        tunnelIpv4 = (ipv4Src & 0xffff_ffffL) << 32 | (ipv4Dst & 0xffff_ffffL);
        tunnelTransport = (long) (tpSrc & 0xffff) << 48 | (long) (tpDst & 0xffff) << 32 | (long) (flags & 0xffff) << 16
                | (tos & 0xff) << 8 | ttl & 0xff;
    }

    /**
     * A tunnel pop's metadata in one call, the IPv4 fields packed as {@link #tunnelIpv4Word()} and
     * {@link #tunnelTransportWord()} hold them; the IPv6 addresses become 0 (an IPv6 pop sets
     * them with {@link #tunnelIpv6} after this).
     */
    public void tunnelWords(long id, long ipv4Word, long transportWord) {
        tunnelSet = true;
        tunnelId = id;
        tunnelIpv4 = ipv4Word;
        tunnelTransport = transportWord;
        clearTunnelIpv6();
    }

    /** The outer IPv6 addresses of a packet that arrived over an IPv6 underlay (the IPv4 ones stay 0). */
    public void tunnelIpv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        tunnelSet = true;
        tunnelIpv6Set = (srcHi | srcLo | dstHi | dstLo) != 0;
        tunnelIpv6SrcHi = srcHi;
        tunnelIpv6SrcLo = srcLo;
        tunnelIpv6DstHi = dstHi;
        tunnelIpv6DstLo = dstLo;
    }

    /** {@code tun_src} in the high 32 bits, {@code tun_dst} in the low 32 (the flow key's word). */
    public long tunnelIpv4Word() {
        return tunnelIpv4;
    }

    /**
     * {@code tun_tp_src} in bits 48-63, {@code tun_tp_dst} 32-47, {@code tun_flags} 16-31,
     * {@code tun_tos} 8-15 and {@code tun_ttl} 0-7 (the flow key's word).
     */
    public long tunnelTransportWord() {
        return tunnelTransport;
    }

    public long tunnelIpv6SrcHi() {
        return tunnelIpv6SrcHi;
    }

    public long tunnelIpv6SrcLo() {
        return tunnelIpv6SrcLo;
    }

    public long tunnelIpv6DstHi() {
        return tunnelIpv6DstHi;
    }

    public long tunnelIpv6DstLo() {
        return tunnelIpv6DstLo;
    }

    public long tunnelId() {
        return tunnelId;
    }

    public int tunnelIpv4Src() {
        return (int) (tunnelIpv4 >>> 32);
    }

    public int tunnelIpv4Dst() {
        return (int) tunnelIpv4;
    }

    public int tunnelTos() {
        return (int) (tunnelTransport >>> 8) & 0xff;
    }

    public int tunnelTtl() {
        return (int) tunnelTransport & 0xff;
    }

    public int tunnelFlags() {
        return (int) (tunnelTransport >>> 16) & 0xffff;
    }

    public int tunnelTpSrc() {
        return (int) (tunnelTransport >>> 48);
    }

    public int tunnelTpDst() {
        return (int) (tunnelTransport >>> 32) & 0xffff;
    }

    // ---------------------------------------------------------------- conntrack metadata

    /** Forgets every ct field (OVS's {@code ct_clear}, and a packet's arrival from a port). */
    public void clearCt() {
        if (!ctSet) {
            return;
        }
        ctSet = false;
        ctState = 0;
        ctZone = 0;
        ctMark = 0;
        ctLabelHi = 0;
        ctLabelLo = 0;
        clearCtOrig();
    }

    /** Forgets the original-direction tuple only. */
    public void clearCtOrig() {
        ctOrigProto = 0;
        ctOrigSrcHi = 0;
        ctOrigSrcLo = 0;
        ctOrigDstHi = 0;
        ctOrigDstLo = 0;
        ctOrigTpSrc = 0;
        ctOrigTpDst = 0;
        ctOrigIpv6 = false;
    }

    /** OVS's {@code CS_*} bits; 0 when the packet was never tracked. */
    public int ctState() {
        return ctState;
    }

    public void ctState(int state) {
        ctSet = true;
        ctState = state;
    }

    public int ctZone() {
        return ctZone;
    }

    public void ctZone(int zone) {
        ctSet = true;
        ctZone = zone;
    }

    public int ctMark() {
        return ctMark;
    }

    public void ctMark(int mark) {
        ctSet = true;
        ctMark = mark;
    }

    public long ctLabelHi() {
        return ctLabelHi;
    }

    public long ctLabelLo() {
        return ctLabelLo;
    }

    public void ctLabel(long hi, long lo) {
        ctSet = true;
        ctLabelHi = hi;
        ctLabelLo = lo;
    }

    /**
     * The connection's original-direction tuple: addresses as 128-bit values (IPv4 in the low 32
     * bits of {@code lo}), ports (ICMP: type and code) and protocol.
     */
    public void ctOrig(boolean ipv6, int proto, long srcHi, long srcLo, long dstHi, long dstLo, int tpSrc, int tpDst) {
        ctSet = true;
        ctOrigIpv6 = ipv6;
        ctOrigProto = proto;
        ctOrigSrcHi = srcHi;
        ctOrigSrcLo = srcLo;
        ctOrigDstHi = dstHi;
        ctOrigDstLo = dstLo;
        ctOrigTpSrc = tpSrc;
        ctOrigTpDst = tpDst;
    }

    public boolean ctOrigIpv6() {
        return ctOrigIpv6;
    }

    public int ctOrigProto() {
        return ctOrigProto;
    }

    public long ctOrigSrcHi() {
        return ctOrigSrcHi;
    }

    public long ctOrigSrcLo() {
        return ctOrigSrcLo;
    }

    public long ctOrigDstHi() {
        return ctOrigDstHi;
    }

    public long ctOrigDstLo() {
        return ctOrigDstLo;
    }

    public int ctOrigTpSrc() {
        return ctOrigTpSrc;
    }

    public int ctOrigTpDst() {
        return ctOrigTpDst;
    }
}
