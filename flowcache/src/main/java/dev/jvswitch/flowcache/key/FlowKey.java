package dev.jvswitch.flowcache.key;

import java.util.Arrays;

/**
 * A flow key: a fixed array of {@value #WORDS} 64-bit datapath words (and the pipeline words after them) laid out by the field table
 * ({@link FlowField}), plus the packet hash the parser computed for it.
 *
 * <p>The parser fills a key from a packet; the EMC, SMC and dpcls compare and hash its words;
 * megaflows keep a masked copy. Fields absent from the packet are zero, as in OVS. The words are
 * exposed so that classifiers can work word by word without going through the table; everyone
 * else reads and writes fields with {@link #get} and {@link #set}.
 *
 * <p>{@link #equals} and {@link #hashCode} cover the words only, not {@link #hash()}.
 *
 * <p><b>Thread-safety:</b> not thread-safe. A key belongs to the thread that parsed into it (a
 * PMD keeps one per packet slot of its batch); a copy handed to another thread must be published
 * through a queue or an immutable megaflow entry.
 */
public final class FlowKey {
    /**
     * Number of 64-bit base words of the datapath key: what the parser fills for every packet and
     * the EMC, SMC, dpcls, megaflows and hashes compare. The {@link #TUN_METADATA_WORDS} words
     * after them hold tunnel metadata (raw Geneve options in a datapath key), compared only when
     * {@link FlowField#TUN_METADATA_LEN} is not 0; the words from {@link #PIPELINE_WORD} to
     * {@link #ALL_WORDS} hold the pipeline fields ({@link FlowField#isPipeline()}) that only
     * translation uses, which a datapath key leaves zero.
     */
    public static final int WORDS = 32;
    /** The first tunnel metadata word. */
    public static final int TUN_METADATA_WORD = WORDS;
    /** Tunnel metadata words: 256 bytes of option space, OVS's {@code TUN_METADATA_TOT_OPT_SIZE}. */
    public static final int TUN_METADATA_WORDS = 32;
    /** Every datapath word: the base words and the tunnel metadata words. */
    public static final int DP_WORDS = WORDS + TUN_METADATA_WORDS;
    /** The first pipeline word. */
    public static final int PIPELINE_WORD = DP_WORDS;
    /** Datapath words plus pipeline words: the length of every key's and mask's array. */
    public static final int ALL_WORDS = PIPELINE_WORD + 11;
    /**
     * The base words every packet may fill: metadata, the IPv4 tunnel fields, L2, IPv4 and L4
     * (words 0-9 and 14). The other base words (the cold words: IPv6 addresses, ARP/ND, tunnel
     * IPv6 addresses, ct fields) stay zero for most packets, so the EMC
     * compares them only when a key may hold one ({@link #coldWordsZero()}).
     */
    public static final long HOT_WORD_MASK = 0x3ffL | 1L << 14;

    public static final int ETH_TYPE_IPV4 = 0x0800;
    public static final int ETH_TYPE_ARP = 0x0806;
    public static final int ETH_TYPE_RARP = 0x8035;
    public static final int ETH_TYPE_IPV6 = 0x86dd;
    public static final int ETH_TYPE_VLAN_8021Q = 0x8100;
    public static final int ETH_TYPE_VLAN_8021AD = 0x88a8;
    /** OVS's FLOW_DL_TYPE_NONE: an 802.3 frame without a SNAP Ethernet type. */
    public static final int ETH_TYPE_NONE = 0x05ff;
    /** Smallest value that is an Ethernet type rather than an 802.3 length. */
    public static final int ETH_TYPE_MIN = 0x0600;

    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_FRAGMENT = 44;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPPROTO_SCTP = 132;

    public static final int ND_NEIGHBOR_SOLICIT = 135;
    public static final int ND_NEIGHBOR_ADVERT = 136;

    /** {@code nw_frag} bit: the packet is an IP fragment (OVS's FLOW_NW_FRAG_ANY). */
    public static final int FRAG_ANY = 1;
    /** {@code nw_frag} bit: a fragment other than the first (OVS's FLOW_NW_FRAG_LATER). */
    public static final int FRAG_LATER = 2;

    /** VLAN TCI bit that marks a present tag (OVS's VLAN_CFI), and the VID and PCP bits. */
    public static final int VLAN_CFI = 0x1000;
    public static final int VLAN_VID_MASK = 0x0fff;
    public static final int VLAN_PCP_SHIFT = 13;

    private static final int ETH_TYPE_WORD = FlowField.ETH_TYPE.word();
    private static final int ETH_TYPE_SHIFT = FlowField.ETH_TYPE.shift();
    private static final int NW_PROTO_WORD = FlowField.NW_PROTO.word();
    private static final int NW_PROTO_SHIFT = FlowField.NW_PROTO.shift();
    private static final int NW_FRAG_WORD = FlowField.NW_FRAG.word();
    private static final int NW_FRAG_SHIFT = FlowField.NW_FRAG.shift();

    private static final int TUN_MD_LEN_WORD = FlowField.TUN_METADATA_LEN.word();

    static {
        // clearForParse zeroes words 0-9 and 14 by hand.
        checkHotWords(0x3ffL | 1L << 14, "FlowKey.clearForParse");
    }

    private final long[] words = new long[ALL_WORDS];
    private int hash;
    /** True only while every base word outside {@link #HOT_WORD_MASK} is known to be zero. */
    private boolean coldZero;
    /** How many tunnel metadata words may be non-zero, from the first (see {@link #clearForParse}). */
    private int tunMetadataDirtyWords;

    /**
     * The key's words; callers may read and write them (owner thread only), but write a key the
     * parser marked {@link #coldWordsZero()} only after {@link #clear()} or a field setter.
     */
    public long[] words() {
        return words;
    }

    /**
     * The packet hash used to index the EMC and SMC: the 5-tuple hash, mixed with
     * {@code recirc_id} when that is non-zero (see {@code FlowHash.emcHash}).
     */
    public int hash() {
        return hash;
    }

    public void hash(int h) {
        hash = h;
    }

    /**
     * For a class that handles the hot words one by one (unrolled, for speed): fails its
     * initialisation unless {@code words}, the set it handles as a mask of word indices, is
     * {@link #HOT_WORD_MASK}, so that the mask and its hand-written users cannot drift apart.
     */
    public static void checkHotWords(long words, String who) {
        if (words != HOT_WORD_MASK) {
            throw new ExceptionInInitializerError(who + " handles the words 0x" + Long.toHexString(words)
                    + " one by one, but FlowKey.HOT_WORD_MASK is 0x" + Long.toHexString(HOT_WORD_MASK));
        }
    }

    /** Zeroes every word and the hash. */
    public void clear() {
        Arrays.fill(words, 0L);
        hash = 0;
        tunMetadataDirtyWords = 0;
        coldZero = false;
    }

    /**
     * True when every base word outside {@link #HOT_WORD_MASK} is zero, as the parser (the only
     * writer that knows) marked it with {@link #markColdWordsZero}. False says nothing: any field
     * setter and {@link #clearForParse} reset it, and a key written through {@link #words()} keeps
     * it false, so such a key is always compared in full.
     */
    public boolean coldWordsZero() {
        return coldZero;
    }

    /**
     * Marks every base word outside {@link #HOT_WORD_MASK} as zero: only for a writer that has
     * just filled the key from {@link #clearForParse} without touching them or the pipeline words
     * (the parser). A wrong mark would make the EMC treat keys that differ in those words as equal,
     * and the next {@link #clearForParse} leave them as they are. A key is therefore written
     * through {@link #words()} only after {@link #clear()} or a field setter (which drop the mark),
     * never while it is marked.
     */
    public void markColdWordsZero() {
        coldZero = true;
    }

    /**
     * Zeroes the key for the parser: the base and pipeline words, and the tunnel metadata words
     * only if a field setter, {@link #tunnelMetadataWritten} or {@link #copyFrom} may have written
     * them since (so that a packet without options costs what it did before they existed).
     *
     * <p>A key still marked {@link #coldWordsZero()} is as the parser left it: only its hot words
     * (and the metadata words counted as written) can be non-zero, so only they are zeroed, 11
     * words of the 43 (the IPv4 fast path parses every packet into a marked key).
     */
    public void clearForParse() {
        long[] w = words;
        if (coldZero) {
            w[0] = 0L;
            w[1] = 0L;
            w[2] = 0L;
            w[3] = 0L;
            w[4] = 0L;
            w[5] = 0L;
            w[6] = 0L;
            w[7] = 0L;
            w[8] = 0L;
            w[9] = 0L;
            w[14] = 0L;
            // A Geneve-popped packet's option word or two: the first by hand (OVN's option is
            // one word), the rest in a loop, not a fill stub's call.
            int dirty = tunMetadataDirtyWords;
            if (dirty != 0) {
                w[WORDS] = 0L;
                for (int i = WORDS + 1, end = WORDS + dirty; i < end; i++) {
                    w[i] = 0L;
                }
            }
        } else {
            // The base words and the dirty metadata words after them in one fill.
            Arrays.fill(w, 0, WORDS + tunMetadataDirtyWords, 0L);
            Arrays.fill(w, PIPELINE_WORD, ALL_WORDS, 0L);
        }
        tunMetadataDirtyWords = 0;
        hash = 0;
        coldZero = false;
    }

    /** Bytes of raw tunnel options in this datapath key ({@link FlowField#TUN_METADATA_LEN}). */
    public int tunnelOptionsLength() {
        return (int) words[TUN_MD_LEN_WORD] & 0xff;
    }

    /** Marks the tunnel metadata words as written (for writers through {@link #words()}). */
    public void tunnelMetadataWritten() {
        tunMetadataDirtyWords = TUN_METADATA_WORDS;
    }

    /** Marks the first {@code n} tunnel metadata words as written (the parser's raw options). */
    public void tunnelMetadataWritten(int n) {
        tunMetadataDirtyWords = Math.max(tunMetadataDirtyWords, n);
    }

    /** Makes this key a copy of {@code other}, hash included. */
    public void copyFrom(FlowKey other) {
        System.arraycopy(other.words, 0, words, 0, ALL_WORDS);
        hash = other.hash;
        tunMetadataDirtyWords = other.tunMetadataDirtyWords;
        coldZero = other.coldZero;
    }

    /** A fresh copy (allocates; slow path). */
    public FlowKey copy() {
        FlowKey k = new FlowKey();
        k.copyFrom(this);
        return k;
    }

    // ---------------------------------------------------------------- fields

    /** The value of a field of at most 64 bits. */
    public long get(FlowField f) {
        if (f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is 128 bits wide; use getHigh/getLow");
        }
        return (words[f.word()] >>> f.shift()) & f.valueMask();
    }

    /** High 64 bits of a 128-bit field. */
    public long getHigh(FlowField f) {
        check128(f);
        return words[f.word()];
    }

    /** Low 64 bits of a 128-bit field. */
    public long getLow(FlowField f) {
        check128(f);
        return words[f.word() + 1];
    }

    /**
     * Sets a field of at most 64 bits.
     *
     * @throws IllegalArgumentException naming the field if {@code value} does not fit its width
     */
    public FlowKey set(FlowField f, long value) {
        if (f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is 128 bits wide; use set(field, high, low)");
        }
        if ((value & ~f.valueMask()) != 0) {
            throw new IllegalArgumentException("value 0x" + Long.toHexString(value) + " does not fit field "
                    + f.ovsName() + " (" + f.widthBits() + " bits)");
        }
        int w = f.word();
        words[w] = (words[w] & ~f.wordMask()) | (value << f.shift());
        coldZero = false;
        if (w >= WORDS && w < PIPELINE_WORD) {
            tunMetadataDirtyWords = TUN_METADATA_WORDS;
        }
        return this;
    }

    /** Sets a 128-bit field. */
    public FlowKey set(FlowField f, long high, long low) {
        check128(f);
        coldZero = false;
        words[f.word()] = high;
        words[f.word() + 1] = low;
        return this;
    }

    /** {@code eth_type}: 0 when the frame had no complete Ethernet header. */
    public int ethType() {
        return (int) (words[ETH_TYPE_WORD] >>> ETH_TYPE_SHIFT) & 0xffff;
    }

    public int nwProto() {
        return (int) (words[NW_PROTO_WORD] >>> NW_PROTO_SHIFT) & 0xff;
    }

    /** {@code nw_frag}: {@link #FRAG_ANY} and {@link #FRAG_LATER} bits. */
    public int nwFrag() {
        return (int) (words[NW_FRAG_WORD] >>> NW_FRAG_SHIFT) & (FRAG_ANY | FRAG_LATER);
    }

    public boolean isIpv4() {
        return ethType() == ETH_TYPE_IPV4;
    }

    public boolean isIpv6() {
        return ethType() == ETH_TYPE_IPV6;
    }

    private static void check128(FlowField f) {
        if (!f.is128()) {
            throw new IllegalArgumentException("field " + f.ovsName() + " is not 128 bits wide");
        }
    }

    // ---------------------------------------------------------------- identity

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey && Arrays.equals(words, ((FlowKey) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** The key in OVS datapath flow syntax (allocates). */
    @Override
    public String toString() {
        return FlowPrinter.format(this);
    }
}
