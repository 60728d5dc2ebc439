package dev.jvswitch.flowcache.megaflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;

/**
 * A megaflow: a wildcarded flow installed by the slow path, found through the EMC, the SMC or
 * the dpcls of the PMD that installed it, carrying its action program and statistics.
 *
 * <p>The match is stored the way OVS's miniflow stores it: only the words in which the mask has
 * a bit set, as three parallel arrays (word index, mask word, masked key word). Matching and
 * hashing walk those words only; a typical L2/L3 megaflow touches a handful of the
 * {@value FlowKey#WORDS} key words.
 *
 * <p>The ufid (unique flow id) is a 128-bit hash of the mask and the masked key. It is a pure
 * function of the match, so the slow path can recompute it from a key and mask and find the
 * flow again. The mask takes part because two megaflows with equal masked values under
 * different masks are different flows.
 *
 * <p><b>Thread-safety:</b> created by the owning PMD (or the slow path acting for it) and
 * published to other threads through the PMD's flow tables and the concurrent ukey map; every
 * match field, the ufid, {@code inPort}, {@code ownerPmd} and {@code createdMs} are final.
 * Mutable state:
 * <ul>
 *   <li>{@code actions}: written by the owning PMD with release semantics (a command from the
 *       revalidator asks it to), read on any thread with acquire semantics, so a reader that
 *       sees a new program also sees its contents.</li>
 *   <li>{@code packets}, {@code bytes}, {@code usedMs}, {@code tcpFlags}: single writer, the
 *       owning PMD in {@link #onHit}, which stores each with an opaque store; readers on any
 *       thread use opaque loads. Opaque access to a {@code long} is atomic, so no value is ever
 *       torn, but the four are not a snapshot: a reader may see the packets of one batch
 *       together with the bytes of the one before. Revalidators only need monotonic,
 *       eventually-fresh values.</li>
 *   <li>{@code dead}: set once by any thread with {@link #markDead} (release), read with
 *       acquire. Once dead, a flow is never used again: the EMC and SMC treat it as a miss and
 *       the dpcls skips it until the owner removes it.</li>
 * </ul>
 */
public final class Megaflow {
    private static final VarHandle ACTIONS;
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle USED_MS;
    private static final VarHandle TCP_FLAGS;
    private static final VarHandle DEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ACTIONS = lookup.findVarHandle(Megaflow.class, "actions", DpActions.class);
            PACKETS = lookup.findVarHandle(Megaflow.class, "packets", long.class);
            BYTES = lookup.findVarHandle(Megaflow.class, "bytes", long.class);
            USED_MS = lookup.findVarHandle(Megaflow.class, "usedMs", long.class);
            TCP_FLAGS = lookup.findVarHandle(Megaflow.class, "tcpFlags", int.class);
            DEAD = lookup.findVarHandle(Megaflow.class, "dead", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Seeds of the four 32-bit lanes of the ufid hash; arbitrary odd constants. */
    private static final int[] UFID_SEEDS = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a};

    private final int[] wordIndex;
    private final long[] maskWords;
    private final long[] valueWords;
    /** Index in the arrays above of the first tunnel metadata word (their length if none). */
    private final int tunMetadataFrom;
    /**
     * The first tunnel metadata word: key word index, mask, masked value (0, 0, 0 if none, which
     * any key matches). A Geneve megaflow usually has one, OVN's option; {@link
     * #matchesTunnelMetadata} compares it without touching the arrays.
     */
    private final int tunMetadataIndex0;
    private final long tunMetadataMask0;
    private final long tunMetadataValue0;
    private final int inPort;
    private final int ownerPmd;
    private final long createdMs;
    private final long ufidHi;
    private final long ufidLo;

    @SuppressWarnings("unused") // accessed through ACTIONS
    private DpActions actions;
    @SuppressWarnings("unused") // accessed through PACKETS (and plainly by the single writer)
    private long packets;
    @SuppressWarnings("unused") // accessed through BYTES (and plainly by the single writer)
    private long bytes;
    @SuppressWarnings("unused") // accessed through USED_MS
    private long usedMs;
    @SuppressWarnings("unused") // accessed through TCP_FLAGS (and plainly by the single writer)
    private int tcpFlags;
    @SuppressWarnings("unused") // accessed through DEAD
    private boolean dead;

    /** A megaflow with no owner recorded ({@code ownerPmd} -1) and {@code createdMs} 0. */
    public Megaflow(FlowKey key, FlowMask mask, DpActions actions, int inPort) {
        this(key, mask, actions, inPort, -1, 0L);
    }

    /**
     * Builds the megaflow matching {@code key & mask}. Neither argument is kept: the masked
     * words are copied. {@code actions} is the compiled program; this class never looks inside.
     */
    public Megaflow(FlowKey key, FlowMask mask, DpActions actions, int inPort, int ownerPmd, long createdMs) {
        long[] k = Objects.requireNonNull(key, "key").words();
        long[] m = Objects.requireNonNull(mask, "mask").words();
        int n = 0;
        for (int i = 0; i < FlowKey.DP_WORDS; i++) {
            if (m[i] != 0) {
                n++;
            }
        }
        wordIndex = new int[n];
        maskWords = new long[n];
        valueWords = new long[n];
        for (int i = 0, j = 0; i < FlowKey.DP_WORDS; i++) {
            if (m[i] != 0) {
                wordIndex[j] = i;
                maskWords[j] = m[i];
                valueWords[j] = k[i] & m[i];
                j++;
            }
        }
        int from = n;
        while (from > 0 && wordIndex[from - 1] >= FlowKey.TUN_METADATA_WORD) {
            from--;
        }
        tunMetadataFrom = from;
        tunMetadataIndex0 = from < n ? wordIndex[from] : 0;
        tunMetadataMask0 = from < n ? maskWords[from] : 0L;
        tunMetadataValue0 = from < n ? valueWords[from] : 0L;
        this.inPort = inPort;
        this.ownerPmd = ownerPmd;
        this.createdMs = createdMs;

        int h0 = UFID_SEEDS[0];
        int h1 = UFID_SEEDS[1];
        int h2 = UFID_SEEDS[2];
        int h3 = UFID_SEEDS[3];
        for (int j = 0; j < n; j++) {
            long v = valueWords[j];
            long mw = maskWords[j];
            int idx = wordIndex[j];
            // Each lane sees the data in a different arrangement so that a collision in one
            // lane says nothing about the others.
            h0 = FlowHash.mix64(FlowHash.mix(h0, idx), v ^ mw);
            h1 = FlowHash.mix64(FlowHash.mix64(h1, mw), Long.rotateLeft(v, 32) + idx);
            h2 = FlowHash.mix64(FlowHash.mix(h2, ~idx), Long.rotateLeft(v, 17) ^ Long.rotateLeft(mw, 41));
            h3 = FlowHash.mix64(FlowHash.mix64(h3, v), ~mw ^ ((long) idx << 40));
        }
        int len = n * 20;
        h0 = FlowHash.finish(h0, len);
        h1 = FlowHash.finish(h1 ^ h0, len);
        h2 = FlowHash.finish(h2 ^ h1, len);
        h3 = FlowHash.finish(h3 ^ h2, len);
        ufidHi = ((long) h0 << 32) | (h1 & 0xffffffffL);
        ufidLo = ((long) h2 << 32) | (h3 & 0xffffffffL);

        ACTIONS.setRelease(this, actions);
    }

    // ---- match -------------------------------------------------------------------------------

    /** True if {@code key & mask} equals this flow's masked key. */
    public boolean matches(FlowKey key) {
        long[] k = key.words();
        int[] idx = wordIndex;
        long[] m = maskWords;
        long[] v = valueWords;
        for (int j = 0; j < idx.length; j++) {
            if ((k[idx[j]] & m[j]) != v[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if the tunnel metadata words of {@code k} match this flow's: what the EMC checks for a
     * key with tunnel options, whose base words it compared already. They are the last of the
     * mask's words (word indices ascend); the first is compared from fields, the rest (options
     * past the first 8 bytes matched) from the arrays.
     */
    public boolean matchesTunnelMetadata(long[] k) {
        if ((k[tunMetadataIndex0] & tunMetadataMask0) != tunMetadataValue0) {
            return false;
        }
        int[] idx = wordIndex;
        for (int j = tunMetadataFrom + 1; j < idx.length; j++) {
            if ((k[idx[j]] & maskWords[j]) != valueWords[j]) {
                return false;
            }
        }
        return true;
    }

    /** Number of key words the mask touches (the miniflow's word count). */
    public int maskWordCount() {
        return wordIndex.length;
    }

    /** Key word index of the {@code j}-th word the mask touches, ascending in {@code j}. */
    public int maskWordIndex(int j) {
        return wordIndex[j];
    }

    /** The mask's {@code j}-th non-zero word (key word {@link #maskWordIndex(int) maskWordIndex(j)}). */
    public long maskWord(int j) {
        return maskWords[j];
    }

    /** The masked key's {@code j}-th word, i.e. {@code key & mask} at {@link #maskWordIndex(int) maskWordIndex(j)}. */
    public long maskedKeyWord(int j) {
        return valueWords[j];
    }

    /** True if this flow's mask equals {@code other}'s (the two belong in the same subtable). */
    public boolean sameMask(Megaflow other) {
        return java.util.Arrays.equals(wordIndex, other.wordIndex)
            && java.util.Arrays.equals(maskWords, other.maskWords);
    }

    /** True if this flow's mask and masked key equal {@code other}'s (same match, same ufid). */
    public boolean sameMatch(Megaflow other) {
        return sameMask(other) && java.util.Arrays.equals(valueWords, other.valueWords);
    }

    /** Writes the masked key into {@code dst} (all words; those outside the mask are zero). */
    public void copyMaskedKeyTo(FlowKey dst) {
        long[] d = dst.words();
        java.util.Arrays.fill(d, 0L);
        for (int j = 0; j < wordIndex.length; j++) {
            d[wordIndex[j]] = valueWords[j];
        }
    }

    /** Writes the mask into {@code dst} (all words). */
    public void copyMaskTo(FlowMask dst) {
        long[] d = dst.words();
        java.util.Arrays.fill(d, 0L);
        for (int j = 0; j < wordIndex.length; j++) {
            d[wordIndex[j]] = maskWords[j];
        }
    }

    // ---- identity ----------------------------------------------------------------------------

    public int inPort() {
        return inPort;
    }

    /** Id of the PMD that installed and owns this flow, or -1 if not recorded. */
    public int ownerPmd() {
        return ownerPmd;
    }

    public long createdMs() {
        return createdMs;
    }

    /** High 64 bits of the ufid (the first 16 hex digits of {@link #ufidString()}). */
    public long ufidHi() {
        return ufidHi;
    }

    /** Low 64 bits of the ufid. */
    public long ufidLo() {
        return ufidLo;
    }

    public boolean hasUfid(long hi, long lo) {
        return ufidHi == hi && ufidLo == lo;
    }

    /** The ufid as OVS prints it: {@code ufid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
    public String ufidString() {
        return formatUfid(ufidHi, ufidLo);
    }

    /** Formats a ufid given as two longs the way {@link #ufidString()} does. */
    public static String formatUfid(long hi, long lo) {
        StringBuilder sb = new StringBuilder(41).append("ufid:");
        appendHex(sb, hi >>> 32, 8).append('-');
        appendHex(sb, (hi >>> 16) & 0xffff, 4).append('-');
        appendHex(sb, hi & 0xffff, 4).append('-');
        appendHex(sb, lo >>> 48, 4).append('-');
        return appendHex(sb, lo & 0xffff_ffff_ffffL, 12).toString();
    }

    private static StringBuilder appendHex(StringBuilder sb, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((int) (value >>> shift) & 0xf, 16));
        }
        return sb;
    }

    // ---- actions -----------------------------------------------------------------------------

    /** The current action program (acquire load; any thread). */
    public DpActions actions() {
        return (DpActions) ACTIONS.getAcquire(this);
    }

    /** Replaces the action program (release store; owning PMD only). */
    public void actions(DpActions newActions) {
        ACTIONS.setRelease(this, newActions);
    }

    // ---- stats -------------------------------------------------------------------------------

    /**
     * Accounts one batch of packets that hit this flow. Owning PMD only, once per flow per
     * batch; {@code tcpFlags} is the OR of the batch's TCP flags (0 for non-TCP).
     */
    public void onHit(int packetCount, long byteCount, long nowMs, int tcpFlagsSeen) {
        // The single writer reads its own fields plainly: it always sees its latest stores.
        PACKETS.setOpaque(this, packets + packetCount);
        BYTES.setOpaque(this, bytes + byteCount);
        USED_MS.setOpaque(this, nowMs);
        if ((tcpFlags | tcpFlagsSeen) != tcpFlags) {
            TCP_FLAGS.setOpaque(this, tcpFlags | tcpFlagsSeen);
        }
    }

    /** Packets that hit this flow (opaque load; any thread). */
    public long packets() {
        return (long) PACKETS.getOpaque(this);
    }

    /** Bytes of the packets that hit this flow (opaque load; any thread). */
    public long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    /** Time of the last hit in ms, 0 if never hit (opaque load; any thread). */
    public long usedMs() {
        return (long) USED_MS.getOpaque(this);
    }

    /** OR of the TCP flags of every packet that hit this flow (opaque load; any thread). */
    public int tcpFlags() {
        return (int) TCP_FLAGS.getOpaque(this);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Marks the flow dead (release store; any thread). Irreversible. */
    public void markDead() {
        DEAD.setRelease(this, true);
    }

    /** True once {@link #markDead()} was called (acquire load; any thread). */
    public boolean isDead() {
        return (boolean) DEAD.getAcquire(this);
    }

    @Override
    public String toString() {
        return "Megaflow{" + ufidString() + ", inPort=" + inPort + ", words=" + wordIndex.length
            + (isDead() ? ", dead" : "") + '}';
    }
}
