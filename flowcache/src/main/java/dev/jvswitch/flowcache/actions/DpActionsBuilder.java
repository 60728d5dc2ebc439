package dev.jvswitch.flowcache.actions;

import static dev.jvswitch.flowcache.actions.DpActions.MAX_CLONE_DEPTH;
import static dev.jvswitch.flowcache.actions.DpActions.MAX_INSTRUCTIONS;
import static dev.jvswitch.flowcache.actions.DpActions.MAX_PORT;

import java.util.Arrays;
import java.util.Objects;

/**
 * Builds a {@link DpActions} program, rejecting anything the executor could not run as written.
 * Each method checks its own action and throws {@link IllegalArgumentException} with a one-line
 * message naming the action and the bad value; {@link #build()} checks the program as a whole
 * (drop placement, duplicate set fields, size and nesting limits) and puts it in canonical form
 * (see {@link DpActions}).
 *
 * <p>Actions after an output are allowed (the output then sends a copy), as in OVS.
 *
 * <p><b>Thread-safety:</b> none; a builder belongs to the thread translating one flow.
 */
public final class DpActionsBuilder {
    private byte[] op = new byte[8];
    private int[] a = new int[8];
    private long[] b = new long[8];
    private long[] c = new long[8];
    private DpActions[] sub = new DpActions[8];
    private byte[][] data = new byte[8][];
    private int n;

    DpActionsBuilder() {
    }

    /** Sends the packet to datapath port {@code port} (a copy, unless it is the last action). */
    public DpActionsBuilder output(int port) {
        checkPort("output", "port", port);
        return add(DpActions.OP_OUTPUT, port, 0, 0, null, null);
    }

    /** Drops the packet; must be the last action. An empty program drops as well. */
    public DpActionsBuilder drop() {
        return add(DpActions.OP_DROP, 0, 0, 0, null, null);
    }

    /** Drops the packet for {@code cause} (counted under it by the datapath); must be the last action. */
    public DpActionsBuilder drop(DropCause cause) {
        Objects.requireNonNull(cause, "drop: cause");
        return add(DpActions.OP_DROP, cause.ordinal(), 0, 0, null, null);
    }

    /**
     * Pushes an outermost VLAN tag.
     *
     * @param tpid 0x8100 (802.1Q) or 0x88a8 (802.1ad)
     * @param tci  the tag as OVS carries it: vid | pcp &lt;&lt; 13 | {@link DpActions#VLAN_CFI}
     *             (see {@link DpActions#vlanTci}); the CFI bit is cleared on the wire
     */
    public DpActionsBuilder pushVlan(int tpid, int tci) {
        if (tpid != DpActions.ETH_TYPE_VLAN && tpid != DpActions.ETH_TYPE_VLAN_8021AD) {
            throw new IllegalArgumentException("push_vlan: tpid " + hex(tpid) + " is neither 0x8100 nor 0x88a8");
        }
        if ((tci & ~0xffff) != 0) {
            throw new IllegalArgumentException("push_vlan: tci " + hex(tci) + " wider than 16 bits");
        }
        return add(DpActions.OP_PUSH_VLAN, tpid, tci, 0, null, null);
    }

    /** Removes the outermost VLAN tag, if the packet has one. */
    public DpActionsBuilder popVlan() {
        return add(DpActions.OP_POP_VLAN, 0, 0, 0, null, null);
    }

    /** Sets {@code field} to {@code value} exactly. */
    public DpActionsBuilder setField(DpField field, long value) {
        Objects.requireNonNull(field, "set: field");
        return setField(field, value, field.fullMask());
    }

    /** Sets the bits of {@code field} selected by {@code mask} to those of {@code value}. */
    public DpActionsBuilder setField(DpField field, long value, long mask) {
        Objects.requireNonNull(field, "set: field");
        String name = field.fieldName();
        long full = field.fullMask();
        if ((value & ~full) != 0) {
            throw new IllegalArgumentException("set(" + name + "): value " + hex(value) + " wider than "
                    + field.widthBits() + " bits");
        }
        if ((mask & ~full) != 0) {
            throw new IllegalArgumentException("set(" + name + "): mask " + hex(mask) + " wider than "
                    + field.widthBits() + " bits");
        }
        if (mask == 0) {
            throw new IllegalArgumentException("set(" + name + "): mask is zero");
        }
        if (!field.maskable() && mask != full) {
            throw new IllegalArgumentException("set(" + name + "): field cannot be masked");
        }
        if ((value & ~mask) != 0) {
            throw new IllegalArgumentException("set(" + name + "): value " + hex(value) + " has bits outside mask "
                    + hex(mask));
        }
        return add(DpActions.OP_SET_FIELD, field.ordinal(), value, mask, null, null);
    }

    /** Sets the IPv6 source address (high and low 64 bits, network order) exactly. */
    public DpActionsBuilder setIpv6Src(long hi, long lo) {
        return setIpv6Src(hi, lo, -1L, -1L);
    }

    /** Sets the masked bits of the IPv6 source address; a half whose mask is 0 is left alone. */
    public DpActionsBuilder setIpv6Src(long hi, long lo, long maskHi, long maskLo) {
        return setIpv6("ipv6_src", DpField.IPV6_SRC_HI, DpField.IPV6_SRC_LO, hi, lo, maskHi, maskLo);
    }

    public DpActionsBuilder setIpv6Dst(long hi, long lo) {
        return setIpv6Dst(hi, lo, -1L, -1L);
    }

    public DpActionsBuilder setIpv6Dst(long hi, long lo, long maskHi, long maskLo) {
        return setIpv6("ipv6_dst", DpField.IPV6_DST_HI, DpField.IPV6_DST_LO, hi, lo, maskHi, maskLo);
    }

    /** Stores {@code FlowHash.dpHash(rssHash, basis)} in the packet's dp_hash ({@code hash(l4(basis))}). */
    public DpActionsBuilder hash(int basis) {
        return add(DpActions.OP_HASH, basis, 0, 0, null, null);
    }

    /** Re-injects the packet into the datapath with recirc_id {@code id} (unsigned, not 0). */
    public DpActionsBuilder recirc(int id) {
        if (id == 0) {
            throw new IllegalArgumentException("recirc: id 0 is reserved for packets that have not recirculated");
        }
        return add(DpActions.OP_RECIRC, id, 0, 0, null, null);
    }

    /** Runs {@code program} on a copy of the packet; the original continues with the next action. */
    public DpActionsBuilder clone(DpActions program) {
        Objects.requireNonNull(program, "clone: program");
        if (program.isDrop()) {
            throw new IllegalArgumentException("clone: sub-program is empty or only drops");
        }
        if (program.cloneDepth() + 1 > MAX_CLONE_DEPTH) {
            throw new IllegalArgumentException("clone: nested " + (program.cloneDepth() + 1) + " deep, more than "
                    + MAX_CLONE_DEPTH);
        }
        return add(DpActions.OP_CLONE, 0, 0, 0, program, null);
    }

    /**
     * Encapsulates the packet with a header template, as OVS's {@code tnl_push} does: it only
     * encapsulates, and the outputs that follow send the packet. {@code outPort} names the
     * underlay port the header was built for: the executor checks the encapsulated packet
     * against that port's MTU, and sends nothing there itself.
     *
     * @param tnlPort the tunnel port whose {@code TunnelOps} push the header
     * @param tnlType {@link DpActions#TNL_TYPE_VXLAN} or {@link DpActions#TNL_TYPE_GENEVE}
     * @param header  outer Ethernet + IPv4/IPv6 + UDP + VXLAN; copied, and its length and
     *                checksum fields put in canonical form (see {@link DpActions})
     * @param outPort the underlay port the encapsulated packet leaves by
     */
    public DpActionsBuilder tnlPush(int tnlPort, int tnlType, byte[] header, int outPort) {
        checkPort("tnl_push", "tnl_port", tnlPort);
        checkPort("tnl_push", "out_port", outPort);
        Objects.requireNonNull(header, "tnl_push: header");
        byte[] canonical = TnlHeader.canonical(tnlType, header);
        return add(DpActions.OP_TNL_PUSH, tnlPort, outPort, tnlType, null, canonical);
    }

    /**
     * As {@link #tnlPush(int, int, byte[], int)} with a template checked before: its bytes are
     * shared, not copied, so this allocates nothing.
     */
    public DpActionsBuilder tnlPush(int tnlPort, TnlTemplate template, int outPort) {
        checkPort("tnl_push", "tnl_port", tnlPort);
        checkPort("tnl_push", "out_port", outPort);
        return add(DpActions.OP_TNL_PUSH, tnlPort, outPort, template.tnlType(), null, template.bytes());
    }

    /**
     * Sends the packet through connection tracking in {@code zone} ({@link DpCt#COMMIT},
     * {@link DpCt#FORCE}); {@code markMask} 0 and a zero label mask leave mark and label alone.
     */
    public DpActionsBuilder ct(int zone, int flags, int mark, int markMask, long labelHi, long labelLo, long labelMaskHi,
            long labelMaskLo) {
        return ct(zone, flags, mark, markMask, labelHi, labelLo, labelMaskHi, labelMaskLo, null);
    }

    /** {@code ct} with a {@code nat} argument ({@code null}: none). */
    public DpActionsBuilder ct(int zone, int flags, int mark, int markMask, long labelHi, long labelLo, long labelMaskHi,
            long labelMaskLo, DpCt.Nat nat) {
        return ct(zone, flags, mark, markMask, labelHi, labelLo, labelMaskHi, labelMaskLo, nat, DpCt.HELPER_NONE, -1);
    }

    /**
     * {@code ct} with a helper ({@link DpCt#HELPER_FTP}, {@link DpCt#HELPER_TFTP}) and a timeout
     * policy id ({@code timeout=N}; negative for none).
     */
    public DpActionsBuilder ct(int zone, int flags, int mark, int markMask, long labelHi, long labelLo, long labelMaskHi,
            long labelMaskLo, DpCt.Nat nat, int helper, long timeoutId) {
        return add(DpActions.OP_CT, DpCt.a(zone, flags), DpCt.b(mark, markMask), DpCt.c(helper, timeoutId), null,
                DpCt.data(labelHi, labelLo, labelMaskHi, labelMaskLo, nat));
    }

    /** Clears the packet's connection tracking state. */
    public DpActionsBuilder ctClear() {
        return add(DpActions.OP_CT_CLEAR, 0, 0, 0, null, null);
    }

    /** Passes the packets through datapath meter {@code meterId} (0 .. MAX_METERS-1): those over its rate are dropped. */
    public DpActionsBuilder meter(int meterId) {
        if (meterId < 0 || meterId >= DpActions.MAX_METERS) {
            throw new IllegalArgumentException("meter: id " + meterId + " out of range 0.." + (DpActions.MAX_METERS - 1));
        }
        return add(DpActions.OP_METER, meterId, 0, 0, null, null);
    }

    /** Strips the tunnel headers of port {@code tnlPort} into metadata and recirculates. */
    public DpActionsBuilder tnlPop(int tnlPort) {
        checkPort("tnl_pop", "port", tnlPort);
        return add(DpActions.OP_TNL_POP, tnlPort, 0, 0, null, null);
    }

    /** Appends instruction {@code i} of {@code program} as it is (already checked when it was built). */
    public DpActionsBuilder append(DpActions program, int i) {
        return add(program.op(i), program.a(i), program.b(i), program.c(i), program.sub(i), program.data(i));
    }

    /**
     * Replaces a final {@code clone(...)} by the program inside it, which does the same to the
     * packet (nothing follows that needs the original), as OVS leaves out the clone around the
     * last action.
     */
    public DpActionsBuilder unwrapTrailingClone() {
        if (n == 0 || op[n - 1] != DpActions.OP_CLONE) {
            return this;
        }
        DpActions inner = sub[n - 1];
        n--;
        sub[n] = null;
        for (int i = 0; i < inner.length(); i++) {
            add(inner.op(i), inner.a(i), inner.b(i), inner.c(i), inner.sub(i), inner.data(i));
        }
        return this;
    }

    /** Number of actions added so far (each set field counts once). */
    public int size() {
        return n;
    }

    /** Empties the builder for the next program (a translating thread keeps one builder). */
    public DpActionsBuilder reset() {
        for (int i = 0; i < n; i++) {
            sub[i] = null;
            data[i] = null;
        }
        n = 0;
        return this;
    }

    /**
     * Checks the program as a whole and returns it in canonical form; the builder may be reused.
     */
    public DpActions build() {
        if (n == 0) {
            return DpActions.DROP;
        }
        checkProgram();
        byte[] o = Arrays.copyOf(op, n);
        int[] aa = Arrays.copyOf(a, n);
        long[] bb = Arrays.copyOf(b, n);
        long[] cc = Arrays.copyOf(c, n);
        DpActions[] ss = Arrays.copyOf(sub, n);
        byte[][] dd = Arrays.copyOf(data, n);
        canonicalizeSetRuns(o, aa, bb, cc, n);
        if (n == 1 && o[0] == DpActions.OP_DROP && aa[0] == 0) {
            return DpActions.DROP;
        }
        return new DpActions(o, aa, bb, cc, ss, dd);
    }

    /**
     * As {@link #build()}, but returns the program {@code cache} already holds when it is equal,
     * and otherwise adds the new one to it: no allocation when the program was built before.
     * Puts the builder's own set runs in canonical order (which changes nothing a packet sees);
     * {@link #reset()} it before the next program.
     */
    public DpActions build(DpActionsCache cache) {
        if (n == 0) {
            return DpActions.DROP;
        }
        checkProgram();
        canonicalizeSetRuns(op, a, b, c, n);
        if (n == 1 && op[0] == DpActions.OP_DROP && a[0] == 0) {
            // A drop with a cause stays a program of its own: the datapath counts why.
            return DpActions.DROP;
        }
        int hash = DpActions.contentHash(op, a, b, c, sub, data, n);
        DpActions cached = cache.find(hash, op, a, b, c, sub, data, n);
        if (cached != null) {
            return cached;
        }
        DpActions made = new DpActions(Arrays.copyOf(op, n), Arrays.copyOf(a, n), Arrays.copyOf(b, n),
                Arrays.copyOf(c, n), Arrays.copyOf(sub, n), Arrays.copyOf(data, n));
        cache.put(made);
        return made;
    }

    /** Drop placement and the instruction limit, over the whole program. */
    private void checkProgram() {
        for (int i = 0; i < n - 1; i++) {
            if (op[i] == DpActions.OP_DROP) {
                throw new IllegalArgumentException("drop: must be the last action (found at position " + (i + 1)
                        + " of " + n + ")");
            }
        }
        int total = n;
        for (int i = 0; i < n; i++) {
            if (sub[i] != null) {
                total += sub[i].instructionCount();
            }
        }
        if (total > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("program has " + total + " instructions, more than " + MAX_INSTRUCTIONS);
        }
    }

    /**
     * Sorts every run of consecutive set instructions of one group among the first {@code n}
     * into field order, which is the order they print in; writes to different fields of one
     * header commute, so this changes nothing the packet sees.
     */
    private static void canonicalizeSetRuns(byte[] o, int[] aa, long[] bb, long[] cc, int n) {
        int i = 0;
        while (i < n) {
            if (o[i] != DpActions.OP_SET_FIELD) {
                i++;
                continue;
            }
            DpField.Group group = DpField.of(aa[i]).group();
            int end = i + 1;
            while (end < n && o[end] == DpActions.OP_SET_FIELD && DpField.of(aa[end]).group() == group) {
                end++;
            }
            // Insertion sort: runs are a handful of instructions long.
            for (int j = i + 1; j < end; j++) {
                int fa = aa[j];
                long fb = bb[j];
                long fc = cc[j];
                int k = j - 1;
                while (k >= i && aa[k] > fa) {
                    aa[k + 1] = aa[k];
                    bb[k + 1] = bb[k];
                    cc[k + 1] = cc[k];
                    k--;
                }
                aa[k + 1] = fa;
                bb[k + 1] = fb;
                cc[k + 1] = fc;
            }
            for (int j = i + 1; j < end; j++) {
                if (aa[j] == aa[j - 1]) {
                    DpField f = DpField.of(aa[j]);
                    throw new IllegalArgumentException("set(" + f.group().printName() + "(...)): " + f.fieldName()
                            + " set twice in one set");
                }
            }
            i = end;
        }
    }

    private DpActionsBuilder setIpv6(String name, DpField hiField, DpField loField, long hi, long lo, long maskHi,
            long maskLo) {
        if (maskHi == 0 && maskLo == 0) {
            throw new IllegalArgumentException("set(" + name + "): mask is zero");
        }
        if ((hi & ~maskHi) != 0 || (lo & ~maskLo) != 0) {
            throw new IllegalArgumentException("set(" + name + "): value has bits outside its mask");
        }
        if (maskHi != 0) {
            setField(hiField, hi, maskHi);
        }
        if (maskLo != 0) {
            setField(loField, lo, maskLo);
        }
        return this;
    }

    private DpActionsBuilder add(byte opcode, int av, long bv, long cv, DpActions s, byte[] d) {
        if (n == op.length) {
            int cap = n * 2;
            op = Arrays.copyOf(op, cap);
            a = Arrays.copyOf(a, cap);
            b = Arrays.copyOf(b, cap);
            c = Arrays.copyOf(c, cap);
            sub = Arrays.copyOf(sub, cap);
            data = Arrays.copyOf(data, cap);
        }
        if (n >= MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("program has more than " + MAX_INSTRUCTIONS + " instructions");
        }
        op[n] = opcode;
        a[n] = av;
        b[n] = bv;
        c[n] = cv;
        sub[n] = s;
        data[n] = d;
        n++;
        return this;
    }

    private static void checkPort(String action, String what, int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException(action + ": " + what + " " + port + " out of range 0.." + MAX_PORT);
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
