package dev.jvswitch.flowcache.actions;

import java.nio.ByteBuffer;

/**
 * The datapath {@code ct} action's operands, text and parser (OVS's
 * {@code OVS_ACTION_ATTR_CT} as {@code format_odp_conntrack_action} prints it):
 * {@code ct}, or {@code ct(commit|force_commit,zone=N,mark=V/M,label=V[/M],helper=ftp|tftp,timeout=N,nat(...))}
 * with only the parts present ({@code timeout} is the zone's timeout policy id, as OVS's userspace
 * datapath names a policy); {@code nat} is {@code nat}, or {@code nat(src|dst[=ADDR[-ADDR][:PORT[-PORT]]][,persistent][,hash][,random])}
 * as OVS's {@code format_odp_ct_nat} prints it (an IPv6 address in brackets when a port follows).
 *
 * <pre>
 *   a: flags (bits 16-17: commit, force) | zone (bits 0-15)
 *   b: mark value (high 32 bits) | mark mask (low 32 bits); mask 0 = no mark
 *   c: timeout policy id (bits 32-63) | bit 8: a timeout is given | helper (bits 0-7: 0, ftp 1, tftp 2)
 *   data: null (neither label nor nat), or 32 bytes: label value (16, big-endian) then label
 *         mask (16, zero without a label), then with nat 40 more:
 *         [32] nat flags ({@link Nat}), [33] bit 0 IPv6, bit 1 address given,
 *         [34..35] min port, [36..37] max port, [40..55] min address, [56..71] max address
 * </pre>
 */
public final class DpCt {
    public static final int COMMIT = 1;
    public static final int FORCE = 2;
    /** Helper values (the conntrack module's {@code CtAlg} numbers). */
    public static final int HELPER_NONE = 0;
    public static final int HELPER_FTP = 1;
    public static final int HELPER_TFTP = 2;
    private static final long HAS_TIMEOUT = 1L << 8;
    private static final int FLAGS_SHIFT = 16;
    private static final int LABEL_BYTES = 32;
    private static final int NAT_BYTES = 40;

    /**
     * A {@code nat} argument. {@code flags} uses {@link #SRC}, {@link #DST}, {@link #PERSISTENT},
     * {@link #HASH}, {@link #RANDOM} (the conntrack module's {@code NatParams} values); an IPv4
     * address sits in the low 32 bits of its {@code Lo} word. A max equal to the min (or 0) is
     * no max, as in OVS, and is stored as the min.
     */
    public record Nat(int flags, boolean ipv6, boolean hasAddr, long minHi, long minLo, long maxHi, long maxLo,
            int minPort, int maxPort) {
        public static final int SRC = 1;
        public static final int DST = 2;
        public static final int PERSISTENT = 4;
        public static final int HASH = 8;
        public static final int RANDOM = 16;
        /** A bare {@code nat}: apply the connection's NAT. */
        public static final Nat BARE = new Nat(0, false, false, 0, 0, 0, 0, 0, 0);

        public Nat {
            if ((flags & (SRC | DST)) == (SRC | DST)) {
                throw new IllegalArgumentException("nat: only one of src or dst may be given");
            }
            if ((flags & (SRC | DST)) == 0 && (flags != 0 || hasAddr || minPort != 0)) {
                throw new IllegalArgumentException("nat: options allowed only with src or dst");
            }
            if (!hasAddr && (minPort != 0 || maxPort != 0 || (minHi | minLo | maxHi | maxLo) != 0)) {
                throw new IllegalArgumentException("nat: a port range needs an address");
            }
            if ((flags & HASH) != 0 && (flags & RANDOM) != 0) {
                throw new IllegalArgumentException("nat: hash and random are not allowed together");
            }
            if ((maxHi | maxLo) == 0 || (maxHi == minHi && maxLo == minLo)) {
                maxHi = minHi;
                maxLo = minLo;
            } else if (ipv6 ? Long.compareUnsigned(maxHi, minHi) < 0
                    || maxHi == minHi && Long.compareUnsigned(maxLo, minLo) < 0 : maxLo < minLo) {
                throw new IllegalArgumentException("nat: address range max below min");
            }
            if (maxPort == 0) {
                maxPort = minPort;
            } else if (maxPort < minPort) {
                throw new IllegalArgumentException("nat: port range max below min");
            }
        }
    }

    private DpCt() {
    }

    static int a(int zone, int flags) {
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("ct: zone " + zone + " out of range 0..65535");
        }
        return zone | (flags & (COMMIT | FORCE)) << FLAGS_SHIFT;
    }

    static long c(int helper, long timeoutId) {
        if (helper < HELPER_NONE || helper > HELPER_TFTP) {
            throw new IllegalArgumentException("ct: helper " + helper + " out of range");
        }
        if (timeoutId > 0xffff_ffffL) {
            throw new IllegalArgumentException("ct: timeout policy id " + timeoutId + " out of range");
        }
        return helper | (timeoutId < 0 ? 0 : HAS_TIMEOUT | timeoutId << 32);
    }

    /** The helper ({@link #HELPER_NONE}, {@link #HELPER_FTP}, {@link #HELPER_TFTP}). */
    public static int helper(DpActions p, int i) {
        return (int) (p.c(i) & 0xff);
    }

    /** The timeout policy id, or -1 when the action names none. */
    public static long timeoutId(DpActions p, int i) {
        long c = p.c(i);
        return (c & HAS_TIMEOUT) == 0 ? -1 : c >>> 32;
    }

    static long b(int mark, int markMask) {
        return ((long) (mark & markMask) << 32) | (markMask & 0xffff_ffffL);
    }

    static byte[] data(long hi, long lo, long maskHi, long maskLo, Nat nat) {
        if ((maskHi | maskLo) == 0 && nat == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(LABEL_BYTES + (nat == null ? 0 : NAT_BYTES));
        b.putLong(hi & maskHi).putLong(lo & maskLo).putLong(maskHi).putLong(maskLo);
        if (nat != null) {
            b.put((byte) nat.flags()).put((byte) ((nat.ipv6() ? 1 : 0) | (nat.hasAddr() ? 2 : 0)));
            b.putShort((short) nat.minPort()).putShort((short) nat.maxPort()).putShort((short) 0);
            b.putLong(nat.minHi()).putLong(nat.minLo()).putLong(nat.maxHi()).putLong(nat.maxLo());
        }
        return b.array();
    }

    /** True when instruction {@code i} has a {@code nat} argument. */
    public static boolean hasNat(DpActions p, int i) {
        byte[] d = p.data(i);
        return d != null && d.length > LABEL_BYTES;
    }

    /** The {@code nat} flags ({@link Nat#SRC}...); call only when {@link #hasNat}. */
    public static int natFlags(DpActions p, int i) {
        return p.data(i)[LABEL_BYTES] & 0xff;
    }

    public static boolean natIpv6(DpActions p, int i) {
        return (p.data(i)[LABEL_BYTES + 1] & 1) != 0;
    }

    public static boolean natHasAddr(DpActions p, int i) {
        return (p.data(i)[LABEL_BYTES + 1] & 2) != 0;
    }

    public static int natMinPort(DpActions p, int i) {
        return u16(p.data(i), LABEL_BYTES + 2);
    }

    public static int natMaxPort(DpActions p, int i) {
        return u16(p.data(i), LABEL_BYTES + 4);
    }

    /** Word {@code k} of the nat address range: 0 min high, 1 min low, 2 max high, 3 max low. */
    public static long natAddrWord(DpActions p, int i, int k) {
        return word(p.data(i), LABEL_BYTES + 8 + k * 8);
    }

    /** The {@code nat} argument as a value (allocates: the slow path and tests). */
    public static Nat nat(DpActions p, int i) {
        if (!hasNat(p, i)) {
            return null;
        }
        return new Nat(natFlags(p, i), natIpv6(p, i), natHasAddr(p, i), natAddrWord(p, i, 0), natAddrWord(p, i, 1),
                natAddrWord(p, i, 2), natAddrWord(p, i, 3), natMinPort(p, i), natMaxPort(p, i));
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xff) << 8 | (d[at + 1] & 0xff);
    }

    private static long word(byte[] d, int at) {
        long v = 0;
        for (int j = at; j < at + 8; j++) {
            v = v << 8 | (d[j] & 0xff);
        }
        return v;
    }

    public static int zone(DpActions p, int i) {
        return p.a(i) & 0xffff;
    }

    public static int flags(DpActions p, int i) {
        return p.a(i) >>> FLAGS_SHIFT;
    }

    public static int mark(DpActions p, int i) {
        return (int) (p.b(i) >>> 32);
    }

    public static int markMask(DpActions p, int i) {
        return (int) p.b(i);
    }

    /** Word {@code k} of the label operand: 0 value high, 1 value low, 2 mask high, 3 mask low; 0 without label. */
    public static long labelWord(DpActions p, int i, int k) {
        byte[] d = p.data(i);
        return d == null ? 0 : word(d, k * 8);
    }

    static void format(DpActions p, int i, StringBuilder sb) {
        int start = sb.length();
        sb.append("ct(");
        int mark = sb.length();
        int flags = flags(p, i);
        if ((flags & FORCE) != 0) {
            sb.append("force_commit,");
        } else if ((flags & COMMIT) != 0) {
            sb.append("commit,");
        }
        if (zone(p, i) != 0) {
            sb.append("zone=").append(zone(p, i)).append(',');
        }
        if (markMask(p, i) != 0) {
            sb.append("mark=");
            InetText.altHex(sb, mark(p, i) & 0xffff_ffffL);
            sb.append('/');
            InetText.altHex(sb, markMask(p, i) & 0xffff_ffffL);
            sb.append(',');
        }
        if ((labelWord(p, i, 2) | labelWord(p, i, 3)) != 0) {
            sb.append("label=");
            u128(sb, labelWord(p, i, 0), labelWord(p, i, 1));
            long mh = labelWord(p, i, 2);
            long ml = labelWord(p, i, 3);
            if ((mh & ml) != -1L) {
                sb.append('/');
                u128(sb, mh, ml);
            }
            sb.append(',');
        }
        if (helper(p, i) != HELPER_NONE) {
            sb.append("helper=").append(helper(p, i) == HELPER_FTP ? "ftp" : "tftp").append(',');
        }
        if (timeoutId(p, i) >= 0) {
            sb.append("timeout=").append(timeoutId(p, i)).append(',');
        }
        if (hasNat(p, i)) {
            formatNat(sb, nat(p, i));
            sb.append(',');
        }
        if (sb.length() == mark) {
            sb.setLength(start);
            sb.append("ct");
        } else {
            sb.setCharAt(sb.length() - 1, ')');
        }
    }

    /**
     * Parses OVS's {@code nat} or {@code nat(...)} text (the OpenFlow {@code ct} argument uses the
     * datapath's syntax).
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static Nat parseNat(String text) {
        TextCursor in = new TextCursor(text);
        if (!in.word().equals("nat")) {
            throw in.errorAt(0, "expected nat");
        }
        Nat n = parseNat(in);
        if (!in.atEnd()) {
            throw in.error("garbage after nat");
        }
        return n;
    }

    /**
     * OVS's {@code format_NAT} (the OpenFlow form): as the datapath's, except that the flags are
     * printed only with an address range.
     */
    public static void formatOpenFlowNat(StringBuilder sb, Nat n) {
        formatNat(sb, n.hasAddr() ? n : new Nat(n.flags() & (Nat.SRC | Nat.DST), false, false, 0, 0, 0, 0, 0, 0));
    }

    /** OVS's {@code format_odp_ct_nat}. */
    static void formatNat(StringBuilder sb, Nat n) {
        sb.append("nat");
        if ((n.flags() & (Nat.SRC | Nat.DST)) == 0) {
            return;
        }
        sb.append('(').append((n.flags() & Nat.SRC) != 0 ? "src" : "dst");
        if (n.hasAddr()) {
            sb.append('=');
            boolean bracket = n.minPort() != 0;
            addr(sb, n.ipv6(), n.minHi(), n.minLo(), bracket);
            if (n.maxHi() != n.minHi() || n.maxLo() != n.minLo()) {
                addr(sb.append('-'), n.ipv6(), n.maxHi(), n.maxLo(), bracket);
            }
            if (n.minPort() != 0) {
                sb.append(':').append(n.minPort());
                if (n.maxPort() != n.minPort()) {
                    sb.append('-').append(n.maxPort());
                }
            }
        }
        sb.append(',');
        if ((n.flags() & Nat.PERSISTENT) != 0) {
            sb.append("persistent,");
        }
        if ((n.flags() & Nat.HASH) != 0) {
            sb.append("hash,");
        }
        if ((n.flags() & Nat.RANDOM) != 0) {
            sb.append("random,");
        }
        sb.setCharAt(sb.length() - 1, ')');
    }

    private static void addr(StringBuilder sb, boolean ipv6, long hi, long lo, boolean bracket) {
        if (!ipv6) {
            InetText.ipv4(sb, (int) lo);
        } else if (bracket) {
            InetText.ipv6(sb.append('['), hi, lo);
            sb.append(']');
        } else {
            InetText.ipv6(sb, hi, lo);
        }
    }

    /** Reads what follows the word {@code nat}: nothing, or {@code (src|dst[=range][,flag]...)}. */
    static Nat parseNat(TextCursor in) {
        if (!in.tryConsume("(")) {
            return Nat.BARE;
        }
        int flags = 0;
        boolean ipv6 = false;
        boolean hasAddr = false;
        long[] min = {0, 0};
        long[] max = {0, 0};
        int minPort = 0;
        int maxPort = 0;
        do {
            String word = in.word();
            switch (word) {
                case "src", "dst" -> {
                    flags |= word.equals("src") ? Nat.SRC : Nat.DST;
                    if (in.tryConsume("=")) {
                        hasAddr = true;
                        ipv6 = !isIpv4(in);
                        min = addr(in, ipv6);
                        if (in.tryConsume("-")) {
                            max = addr(in, ipv6);
                        }
                        if (in.tryConsume(":")) {
                            minPort = (int) in.unsigned("nat port", 0xffff);
                            if (in.tryConsume("-")) {
                                maxPort = (int) in.unsigned("nat port", 0xffff);
                            }
                        }
                    }
                }
                case "persistent" -> flags |= Nat.PERSISTENT;
                case "hash" -> flags |= Nat.HASH;
                case "random" -> flags |= Nat.RANDOM;
                default -> throw in.error("nat: unknown argument '" + word + "'");
            }
        } while (in.tryConsume(","));
        in.expect(")");
        try {
            return new Nat(flags, ipv6, hasAddr, min[0], min[1], max[0], max[1], minPort, maxPort);
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    private static boolean isIpv4(TextCursor in) {
        int at = in.pos();
        try {
            in.ipv4("nat address");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } finally {
            in.rewind(at);
        }
    }

    private static long[] addr(TextCursor in, boolean ipv6) {
        if (!ipv6) {
            return new long[] {0, in.ipv4("nat address") & 0xffff_ffffL};
        }
        boolean bracket = in.tryConsume("[");
        long[] v = in.ipv6("nat address");
        if (bracket) {
            in.expect("]");
        }
        return v;
    }

    private static void u128(StringBuilder sb, long hi, long lo) {
        if (hi == 0) {
            InetText.altHex(sb, lo);
        } else {
            sb.append("0x").append(Long.toHexString(hi)).append(String.format("%016x", lo));
        }
    }

    /** Reads what follows the word {@code ct}: nothing, or {@code (args)}. */
    static void parse(TextCursor in, DpActionsBuilder b) {
        int zone = 0;
        int flags = 0;
        int mark = 0;
        int markMask = 0;
        long[] label = {0, 0, 0, 0};
        Nat nat = null;
        int helper = HELPER_NONE;
        long timeout = -1;
        if (in.tryConsume("(")) {
            do {
                String word = in.word();
                switch (word) {
                    case "commit" -> flags |= COMMIT;
                    case "force_commit" -> flags |= COMMIT | FORCE;
                    case "zone" -> {
                        in.expect("=");
                        zone = (int) in.unsigned("ct zone", 0xffff);
                    }
                    case "mark" -> {
                        in.expect("=");
                        mark = (int) in.unsigned("ct mark", 0xffff_ffffL);
                        markMask = in.tryConsume("/") ? (int) in.unsigned("ct mark mask", 0xffff_ffffL) : -1;
                    }
                    case "label" -> {
                        in.expect("=");
                        long[] v = in.u128("ct label");
                        long[] m = in.tryConsume("/") ? in.u128("ct label mask") : new long[] {-1L, -1L};
                        label = new long[] {v[0], v[1], m[0], m[1]};
                    }
                    case "nat" -> nat = parseNat(in);
                    case "helper" -> {
                        in.expect("=");
                        String h = in.word();
                        if (h.equals("ftp")) {
                            helper = HELPER_FTP;
                        } else if (h.equals("tftp")) {
                            helper = HELPER_TFTP;
                        } else {
                            throw in.error("ct: unknown helper '" + h + "'");
                        }
                    }
                    case "timeout" -> {
                        in.expect("=");
                        timeout = in.unsigned("ct timeout policy id", 0xffff_ffffL);
                    }
                    default -> throw in.error("ct: unknown argument '" + word + "'");
                }
            } while (in.tryConsume(","));
            in.expect(")");
        }
        b.ct(zone, flags, mark, markMask, label[0], label[1], label[2], label[3], nat, helper, timeout);
    }
}
