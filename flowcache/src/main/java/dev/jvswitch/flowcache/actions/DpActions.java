package dev.jvswitch.flowcache.actions;

import java.util.Arrays;

import dev.jvswitch.mempool.MbufPoolConfig;

/**
 * A compiled datapath action program: what a megaflow does to the packets it matches. Built once
 * per megaflow by the slow path (through {@link #builder()} or {@link #parse(String)}), immutable
 * afterwards, and run by the PMD's action executor on every packet of the flow.
 *
 * <h2>Instruction format</h2>
 *
 * <p>A program is {@link #length()} instructions held in parallel arrays, so that running one is
 * a few array loads and a switch, with no object per instruction:
 *
 * <pre>
 *   index i:   0        1            2          3       ...
 *            +--------+------------+----------+-------+
 *   op[i]    | SET    | PUSH_VLAN  | OUTPUT   | CLONE |   byte opcode, OP_*
 *   a[i]     | field  | tpid       | port     | 0     |   int operand
 *   b[i]     | value  | tci        | 0        | 0     |   long operand
 *   c[i]     | mask   | 0          | 0        | 0     |   long operand
 *   sub[i]   | -      | -          | -        | prog  |   nested program (clone only)
 *   data[i]  | -      | -          | -        | -     |   bytes (tnl_push header only)
 *            +--------+------------+----------+-------+
 * </pre>
 *
 * <table>
 *   <caption>Operands per opcode (unused operands are 0 or null)</caption>
 *   <tr><th>op</th><th>a</th><th>b</th><th>c</th><th>sub / data</th><th>printed as</th></tr>
 *   <tr><td>{@link #OP_OUTPUT}</td><td>port</td><td></td><td></td><td></td><td>{@code 2}</td></tr>
 *   <tr><td>{@link #OP_DROP}</td><td>{@link DropCause} ordinal</td><td></td><td></td><td></td><td>{@code drop}</td></tr>
 *   <tr><td>{@link #OP_PUSH_VLAN}</td><td>tpid</td><td>tci (with {@link #VLAN_CFI} = present)</td><td></td><td></td>
 *       <td>{@code push_vlan(vid=10,pcp=0)}</td></tr>
 *   <tr><td>{@link #OP_POP_VLAN}</td><td></td><td></td><td></td><td></td><td>{@code pop_vlan}</td></tr>
 *   <tr><td>{@link #OP_SET_FIELD}</td><td>{@link DpField} ordinal</td><td>value</td><td>mask (never 0)</td><td></td>
 *       <td>{@code set(ipv4(dst=10.0.0.0/255.255.255.0))}</td></tr>
 *   <tr><td>{@link #OP_HASH}</td><td>basis</td><td></td><td></td><td></td><td>{@code hash(l4(0))}</td></tr>
 *   <tr><td>{@link #OP_RECIRC}</td><td>recirc id (not 0)</td><td></td><td></td><td></td><td>{@code recirc(0x1)}</td></tr>
 *   <tr><td>{@link #OP_CLONE}</td><td></td><td></td><td></td><td>sub: program</td><td>{@code clone(...)}</td></tr>
 *   <tr><td>{@link #OP_TNL_PUSH}</td><td>tunnel port</td><td>out port</td><td>tunnel type</td>
 *       <td>data: header template</td><td>{@code tnl_push(tnl_port(4),header(...),out_port(1))}</td></tr>
 *   <tr><td>{@link #OP_TNL_POP}</td><td>tunnel port</td><td></td><td></td><td></td><td>{@code tnl_pop(4)}</td></tr>
 *   <tr><td>{@link #OP_METER}</td><td>datapath meter id</td><td></td><td></td><td></td><td>{@code meter(0)}</td></tr>
 * </table>
 *
 * <h2>What the actions do</h2>
 *
 * <p>As in OVS's {@code odp_execute_actions}: actions run in order; an action that hands the
 * packet away (output, recirc, tnl_push, tnl_pop) hands away a copy unless it is the last action;
 * {@code clone} runs its program on a copy; a packet left over at the end is freed. Sets apply
 * only where the packet has the header (a TCP port to a TCP packet, not to UDP or to a later
 * fragment) and fix checksums. {@code hash(l4(basis))} stores
 * {@code FlowHash.dpHash(rssHash, basis)} as dp_hash. {@code recirc(id)} re-injects the packet
 * with that recirc id. {@code tnl_pop(port)} strips the tunnel headers into metadata and
 * re-injects the packet with in_port = port and its recirc id unchanged. {@code tnl_push}
 * prepends the header template and nothing more, as in OVS: the outputs after it send the
 * packet (translation wraps the push and its outputs in a {@code clone} unless they end the
 * program); its out_port names the underlay port the header was built for, whose MTU the
 * encapsulated packet must fit. {@code meter(id)} passes the packets through the datapath's
 * meter {@code id} (OVS's userspace token buckets) and drops those over its band's rate; a meter
 * that does not exist lets every packet pass, as in OVS. A {@code drop} carries the {@link DropCause} the datapath counts
 * it under. The executor is {@code dev.jvswitch.pmd.exec.ActionExecutor}.
 *
 * <h2>Canonical form</h2>
 *
 * <p>Two programs that print the same are equal, so that {@code parse(p.toString()).equals(p)}:
 * <ul>
 *   <li>An empty program is the program {@code drop} ({@link #DROP}); OVS prints both alike.
 *       The one exception to "same text, same program": a drop's {@link DropCause} is not
 *       printed (OVS does not print it either), so the text of a drop for any cause parses back
 *       to a plain {@code drop}.</li>
 *   <li>Consecutive set instructions of one {@link DpField.Group} print as one
 *       {@code set(group(...))} and are kept in the group's field order; a field may appear once
 *       in such a run.</li>
 *   <li>A set value has no bits outside its mask, and a tunnel header template stores the
 *       fields the printed form leaves out (IPv4 total length and checksum, UDP length, IPv6
 *       payload length) as OVS's parser rebuilds them: lengths 0, the IPv4 checksum computed
 *       over the template with total length 0.</li>
 * </ul>
 *
 * <p>The text form is OVS's datapath action syntax as {@code ovs-appctl dpctl/dump-flows} prints
 * it; see {@link #toString()} and {@link #parse(String)}.
 *
 * <p><b>Thread-safety:</b> immutable; every field is final, so a program published through any
 * reference is fully visible to every PMD. Callers must not modify the array {@link #data(int)}
 * returns.
 */
public final class DpActions {
    public static final byte OP_OUTPUT = 1;
    public static final byte OP_DROP = 2;
    public static final byte OP_PUSH_VLAN = 3;
    public static final byte OP_POP_VLAN = 4;
    public static final byte OP_SET_FIELD = 5;
    public static final byte OP_HASH = 6;
    public static final byte OP_RECIRC = 7;
    public static final byte OP_CLONE = 8;
    public static final byte OP_TNL_PUSH = 9;
    public static final byte OP_TNL_POP = 10;
    /** Connection tracking; operands in {@link DpCt}. */
    public static final byte OP_CT = 11;
    /** Forgets the packet's ct state ({@code ct_clear}). */
    public static final byte OP_CT_CLEAR = 12;
    /** Rate-limits by a datapath meter (OVS's {@code OVS_ACTION_ATTR_METER}); a = meter id. */
    public static final byte OP_METER = 13;
    /** Meter ids the datapath has (OVS's userspace {@code MAX_METERS}). */
    public static final int MAX_METERS = 1 << 18;

    /** Highest datapath port number an action may name. */
    public static final int MAX_PORT = 65535;
    /** Most instructions in one program, nested clone programs included. */
    public static final int MAX_INSTRUCTIONS = 256;
    /** Deepest nesting of {@code clone} (the executor keeps one scratch batch per level). */
    public static final int MAX_CLONE_DEPTH = 8;
    /** Longest tunnel header template: it must fit the headroom every mbuf keeps. */
    public static final int MAX_TNL_HEADER_BYTES = MbufPoolConfig.DEFAULT_HEADROOM_BYTES;
    /** OVS's {@code OVS_VPORT_TYPE_VXLAN}, the tunnel type printed in {@code header(type=4,...)}. */
    public static final int TNL_TYPE_VXLAN = 4;
    /** OVS's {@code OVS_VPORT_TYPE_GENEVE}: {@code header(type=5,...)}. */
    public static final int TNL_TYPE_GENEVE = 5;

    public static final int ETH_TYPE_VLAN = 0x8100;
    public static final int ETH_TYPE_VLAN_8021AD = 0x88a8;
    /** In a push_vlan TCI: marks the tag present (OVS's {@code VLAN_CFI}); cleared on the wire. */
    public static final int VLAN_CFI = 0x1000;

    /** The program that drops every packet; also what an empty program builds to. */
    public static final DpActions DROP = new DpActions(new byte[] {OP_DROP}, new int[1], new long[1], new long[1],
            new DpActions[1], new byte[1][]);

    private final byte[] op;
    private final int[] a;
    private final long[] b;
    private final long[] c;
    private final DpActions[] sub;
    private final byte[][] data;
    private final int instructionCount;
    private final int cloneDepth;
    private final boolean needsRssHash;
    private final int hashCode;

    /** Takes ownership of the arrays; only the builder calls this, after validating them. */
    DpActions(byte[] op, int[] a, long[] b, long[] c, DpActions[] sub, byte[][] data) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.c = c;
        this.sub = sub;
        this.data = data;
        int count = op.length;
        int depth = 0;
        boolean rss = false;
        for (int i = 0; i < op.length; i++) {
            rss |= op[i] == OP_HASH || op[i] == OP_TNL_PUSH;
            if (sub[i] != null) {
                count += sub[i].instructionCount;
                depth = Math.max(depth, 1 + sub[i].cloneDepth);
                rss |= sub[i].needsRssHash;
            }
        }
        this.instructionCount = count;
        this.cloneDepth = depth;
        this.needsRssHash = rss;
        this.hashCode = contentHash(op, a, b, c, sub, data, op.length);
    }

    /**
     * The hash of the first {@code n} instructions held in the given arrays: what
     * {@link #hashCode()} is for a program of exactly those instructions. The builder computes it
     * over its own arrays to find an equal program in a {@link DpActionsCache} without copying.
     */
    static int contentHash(byte[] op, int[] a, long[] b, long[] c, DpActions[] sub, byte[][] data, int n) {
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + op[i];
            h = 31 * h + a[i];
            h = 31 * h + Long.hashCode(b[i]);
            h = 31 * h + Long.hashCode(c[i]);
            h = 31 * h + (sub[i] == null ? 0 : sub[i].hashCode);
            h = 31 * h + (data[i] == null ? 0 : Arrays.hashCode(data[i]));
        }
        return h;
    }

    /** True if this program is exactly the first {@code n} instructions of the given arrays. */
    boolean sameContent(byte[] op2, int[] a2, long[] b2, long[] c2, DpActions[] sub2, byte[][] data2, int n) {
        if (op.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (op[i] != op2[i] || a[i] != a2[i] || b[i] != b2[i] || c[i] != c2[i]
                    || !java.util.Objects.equals(sub[i], sub2[i]) || !Arrays.equals(data[i], data2[i])) {
                return false;
            }
        }
        return true;
    }

    public static DpActionsBuilder builder() {
        return new DpActionsBuilder();
    }

    /**
     * Reads a program in the syntax {@link #toString()} prints, e.g.
     * {@code set(ipv4(dst=10.0.0.2)),push_vlan(vid=10,pcp=0),2}.
     *
     * @throws IllegalArgumentException with a one-line message naming the offending token
     */
    public static DpActions parse(String text) {
        return new DpActionsParser(text).parseProgram();
    }

    /** A TCI for {@link DpActionsBuilder#pushVlan}: VLAN id, priority and the present bit. */
    public static int vlanTci(int vid, int pcp) {
        if (vid < 0 || vid > 0xfff) {
            throw new IllegalArgumentException("push_vlan: vid " + vid + " out of range 0..4095");
        }
        if (pcp < 0 || pcp > 7) {
            throw new IllegalArgumentException("push_vlan: pcp " + pcp + " out of range 0..7");
        }
        return vid | pcp << 13 | VLAN_CFI;
    }

    // ---------------------------------------------------------------- instructions

    /**
     * Whether an action here or in a clone reads the packet's RSS hash ({@code hash} for dp_hash,
     * {@code tnl_push} for the UDP source port): the PMD computes the hash for the packets of
     * such a flow only.
     */
    public boolean needsRssHash() {
        return needsRssHash;
    }

    /** Number of instructions at this level (a clone counts as one). */
    public int length() {
        return op.length;
    }

    public byte op(int i) {
        return op[i];
    }

    public int a(int i) {
        return a[i];
    }

    public long b(int i) {
        return b[i];
    }

    public long c(int i) {
        return c[i];
    }

    /** The field of an {@link #OP_SET_FIELD} instruction. */
    public DpField field(int i) {
        return DpField.of(a[i]);
    }

    /** The program of an {@link #OP_CLONE} instruction, else null. */
    public DpActions sub(int i) {
        return sub[i];
    }

    /** The header template of an {@link #OP_TNL_PUSH} instruction, else null. Do not modify. */
    public byte[] data(int i) {
        return data[i];
    }

    /** Instructions in the whole program, nested clone programs included. */
    public int instructionCount() {
        return instructionCount;
    }

    /** Nesting depth of clone: 0 without clone, 1 with a clone that has none inside, ... */
    public int cloneDepth() {
        return cloneDepth;
    }

    /** The cause of an {@link #OP_DROP} instruction. */
    public DropCause dropCause(int i) {
        return DropCause.of(a[i]);
    }

    /** True for a program that only drops, whatever the cause ({@link #DROP} among them). */
    public boolean isDrop() {
        return op.length == 1 && op[0] == OP_DROP;
    }

    // ---------------------------------------------------------------- object

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DpActions)) {
            return false;
        }
        DpActions other = (DpActions) o;
        return hashCode == other.hashCode
                && Arrays.equals(op, other.op)
                && Arrays.equals(a, other.a)
                && Arrays.equals(b, other.b)
                && Arrays.equals(c, other.c)
                && Arrays.equals(sub, other.sub)
                && Arrays.deepEquals(data, other.data);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    /**
     * The program in OVS's datapath action syntax, as {@code ovs-appctl dpctl/dump-flows} prints
     * it after {@code actions:} (ports by number), e.g.
     * {@code set(eth(src=00:00:00:00:00:01)),push_vlan(vid=10,pcp=0),2,recirc(0x1)}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        DpActionsFormat.format(this, sb);
        return sb.toString();
    }
}
