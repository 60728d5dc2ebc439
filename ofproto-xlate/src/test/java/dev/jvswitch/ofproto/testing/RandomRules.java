package dev.jvswitch.ofproto.testing;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.group.SelectionMethod;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.table.Rule;

/**
 * Random valid matches, actions, rules and groups covering every field, mask shape and action the
 * model has, for property tests. Each match establishes the prerequisites of what it tests; each
 * set_field/load/move writes only fields the match makes meaningful.
 */
public final class RandomRules {
    /** The fields a flow's text can name: all but the Geneve option length and present bits. */
    private static final List<FlowField> NAMED = java.util.Arrays.stream(FlowField.values())
            .filter(f -> f != FlowField.TUN_METADATA_LEN && f != FlowField.TUN_METADATA_PRESENT).toList();

    private static final FlowField[] ALWAYS = {FlowField.IN_PORT, FlowField.RECIRC_ID, FlowField.SKB_MARK,
        FlowField.DP_HASH, FlowField.TUN_ID, FlowField.TUN_SRC, FlowField.TUN_DST, FlowField.TUN_TP_SRC,
        FlowField.TUN_TP_DST, FlowField.TUN_FLAGS, FlowField.TUN_TOS, FlowField.TUN_TTL, FlowField.ETH_DST,
        FlowField.ETH_SRC, FlowField.VLAN_TPID, FlowField.VLAN_TCI, FlowField.VLAN_TPID1, FlowField.VLAN_TCI1};
    private static final Set<FlowField> WRITABLE = EnumSet.of(FlowField.IN_PORT, FlowField.SKB_MARK, FlowField.TUN_ID,
            FlowField.TUN_SRC, FlowField.TUN_DST, FlowField.TUN_TOS, FlowField.TUN_TTL, FlowField.ETH_SRC,
            FlowField.ETH_DST, FlowField.VLAN_TCI, FlowField.NW_SRC, FlowField.NW_DST, FlowField.NW_TOS,
            FlowField.NW_TTL, FlowField.IPV6_SRC, FlowField.IPV6_DST, FlowField.IPV6_LABEL, FlowField.TP_SRC,
            FlowField.TP_DST);

    private final Random rnd;

    public RandomRules(Random rnd) {
        this.rnd = rnd;
    }

    // ---------------------------------------------------------------- matches

    public Match match() {
        Match.Builder b = Match.builder();
        for (FlowField f : ALWAYS) {
            maybe(b, f, 0.15);
        }
        int ctx = rnd.nextInt(10);
        switch (ctx) {
            case 0:
                break;
            case 1:
                if (rnd.nextBoolean()) {
                    b.set(FlowField.ETH_TYPE, 0x88cc);
                } else {
                    b.set(FlowField.ETH_TYPE, rnd.nextInt(0x10000), rnd.nextInt(0x10000));
                }
                break;
            case 2:
                b.set(FlowField.ETH_TYPE, rnd.nextBoolean() ? FlowKey.ETH_TYPE_ARP : FlowKey.ETH_TYPE_RARP);
                for (FlowField f : new FlowField[] {FlowField.ARP_SPA, FlowField.ARP_TPA, FlowField.ARP_OP,
                    FlowField.ARP_SHA, FlowField.ARP_THA}) {
                    maybe(b, f, 0.4);
                }
                break;
            default:
                ip(b, ctx % 2 == 0);
        }
        return b.build();
    }

    private void ip(Match.Builder b, boolean v6) {
        b.set(FlowField.ETH_TYPE, v6 ? FlowKey.ETH_TYPE_IPV6 : FlowKey.ETH_TYPE_IPV4);
        if (v6) {
            maybe(b, FlowField.IPV6_SRC, 0.4);
            maybe(b, FlowField.IPV6_DST, 0.4);
            maybe(b, FlowField.IPV6_LABEL, 0.2);
        } else {
            maybe(b, FlowField.NW_SRC, 0.4);
            maybe(b, FlowField.NW_DST, 0.4);
        }
        maybe(b, FlowField.NW_TTL, 0.2);
        maybe(b, FlowField.NW_FRAG, 0.2);
        if (rnd.nextDouble() < 0.2) {
            int[] masks = {0xfc, 0x03, 0xff, rnd.nextInt(255) + 1};
            long m = masks[rnd.nextInt(masks.length)];
            b.set(FlowField.NW_TOS, rnd.nextInt(256) & m, m);
        }
        int[] protos = v6 ? new int[] {-1, 6, 17, 132, 58, 47} : new int[] {-1, 6, 17, 132, 1, 2};
        int proto = protos[rnd.nextInt(protos.length)];
        if (proto < 0) {
            if (rnd.nextDouble() < 0.1) {
                b.set(FlowField.NW_PROTO, rnd.nextInt(256), rnd.nextInt(256));
            }
            return;
        }
        b.set(FlowField.NW_PROTO, proto);
        if (proto == 6 || proto == 17 || proto == 132) {
            maybe(b, FlowField.TP_SRC, 0.4);
            maybe(b, FlowField.TP_DST, 0.4);
            if (proto == 6) {
                maybe(b, FlowField.TCP_FLAGS, 0.3);
            }
        } else if (proto == 1) {
            maybe(b, FlowField.ICMP_TYPE, 0.4);
            maybe(b, FlowField.ICMP_CODE, 0.4);
        } else if (proto == 58) {
            if (rnd.nextBoolean()) {
                int type = rnd.nextBoolean() ? 135 : 136;
                b.set(FlowField.ICMPV6_TYPE, type);
                if (rnd.nextBoolean()) {
                    b.set(FlowField.ICMPV6_CODE, 0);
                }
                maybe(b, FlowField.ND_TARGET, 0.5);
                maybe(b, type == 135 ? FlowField.ND_SLL : FlowField.ND_TLL, 0.5);
            } else {
                maybe(b, FlowField.ICMPV6_TYPE, 0.4);
                maybe(b, FlowField.ICMPV6_CODE, 0.4);
            }
        }
    }

    private void maybe(Match.Builder b, FlowField f, double p) {
        if (rnd.nextDouble() >= p) {
            return;
        }
        if (f.is128()) {
            long[] v = {rnd.nextLong(), rnd.nextLong()};
            long[] m = mask128();
            if (m[0] != 0 || m[1] != 0) {
                b.set128(f, v[0], v[1], m[0], m[1]);
            }
            return;
        }
        long v = rnd.nextLong() & f.valueMask();
        long m = mask(f);
        if (m != 0) {
            b.set(f, v, m);
        }
    }

    /** Exact, a prefix, or random bits. */
    private long mask(FlowField f) {
        int kind = rnd.nextInt(4);
        if (kind <= 1) {
            return f.valueMask();
        }
        if (kind == 2) {
            int len = 1 + rnd.nextInt(f.widthBits());
            return (f.valueMask() << (f.widthBits() - len)) & f.valueMask();
        }
        return rnd.nextLong() & f.valueMask();
    }

    private long[] mask128() {
        int kind = rnd.nextInt(4);
        if (kind <= 1) {
            return new long[] {-1L, -1L};
        }
        if (kind == 2) {
            int len = 1 + rnd.nextInt(128);
            long hi = len >= 64 ? -1L : -1L << (64 - len);
            long lo = len <= 64 ? 0 : -1L << (128 - len);
            return new long[] {hi, lo};
        }
        return new long[] {rnd.nextLong(), rnd.nextLong()};
    }

    // ---------------------------------------------------------------- actions

    /** Up to 5 actions valid for {@code m} (null: a bucket, no prerequisites to respect). */
    public List<OfAction> actions(Match m) {
        int n = rnd.nextInt(6);
        List<OfAction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(action(m));
        }
        return out;
    }

    /** Up to {@code max} actions valid for {@code m}, none a goto_table (an instruction in a flow). */
    public List<OfAction> flowActions(Match m, int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        List<OfAction> out = new ArrayList<>();
        while (out.size() < n) {
            OfAction a = action(m);
            if (!(a instanceof OfAction.GotoTable)) {
                out.add(a);
            }
        }
        return out;
    }

    private List<FlowField> usable(Match m, boolean writable) {
        List<FlowField> out = new ArrayList<>();
        for (FlowField f : NAMED) {
            if ((!writable || WRITABLE.contains(f)) && (m == null || m.establishes(f.prereq()))) {
                out.add(f);
            }
        }
        return out;
    }

    public OfAction action(Match m) {
        switch (rnd.nextInt(29)) {
            case 0: return new OfAction.Output(1 + rnd.nextInt(OfPorts.MAX));
            case 1: return new OfAction.Normal();
            case 2: return new OfAction.Flood();
            case 3: return new OfAction.All();
            case 4: return new OfAction.InPort();
            case 5: return new OfAction.Local();
            case 6: return new OfAction.Controller(rnd.nextInt(65536));
            case 7: return new OfAction.ModVlanVid(rnd.nextInt(4096));
            case 8: return new OfAction.ModVlanPcp(rnd.nextInt(8));
            case 9: return new OfAction.StripVlan();
            case 10: return new OfAction.PushVlan(rnd.nextBoolean() ? 0x8100 : 0x88a8);
            case 11: return new OfAction.ModDlSrc(rnd.nextLong() >>> 16);
            case 12: return new OfAction.ModDlDst(rnd.nextLong() >>> 16);
            case 13: return new OfAction.ModNwSrc(rnd.nextInt());
            case 14: return new OfAction.ModNwDst(rnd.nextInt());
            case 15: return new OfAction.ModNwTos(rnd.nextInt(64) << 2);
            case 16: return new OfAction.ModNwTtl(rnd.nextInt(256));
            case 17: return new OfAction.DecTtl();
            case 18: return new OfAction.ModTpSrc(rnd.nextInt(65536));
            case 19: return new OfAction.ModTpDst(rnd.nextInt(65536));
            case 20: {
                List<FlowField> fs = usable(m, true);
                FlowField f = fs.get(rnd.nextInt(fs.size()));
                if (f.is128()) {
                    long[] mk = mask128();
                    if (mk[0] == 0 && mk[1] == 0) {
                        mk[1] = 1;
                    }
                    return new OfAction.SetField(f, rnd.nextLong() & mk[0], rnd.nextLong() & mk[1], mk[0], mk[1]);
                }
                long mk = mask(f);
                return OfAction.SetField.masked(f, rnd.nextLong() & mk, mk == 0 ? f.valueMask() : mk);
            }
            case 21: {
                FieldRef dst = ref(usable(m, true), 64);
                long v = dst.nBits() == 64 ? rnd.nextLong() : rnd.nextLong() & ((1L << dst.nBits()) - 1);
                return new OfAction.Load(v, dst);
            }
            case 22: {
                FieldRef dst = ref(usable(m, true), 128);
                List<FlowField> srcs = new ArrayList<>();
                for (FlowField f : usable(m, false)) {
                    if (f.widthBits() >= dst.nBits()) {
                        srcs.add(f);
                    }
                }
                FlowField sf = srcs.get(rnd.nextInt(srcs.size()));
                int start = rnd.nextInt(sf.widthBits() - dst.nBits() + 1);
                return new OfAction.Move(new FieldRef(sf, start, dst.nBits()), dst);
            }
            case 23: {
                int[] ports = {OfPorts.IN_PORT, OfPorts.LOCAL, 1 + rnd.nextInt(OfPorts.MAX)};
                return new OfAction.Resubmit(ports[rnd.nextInt(3)], rnd.nextInt(256));
            }
            case 24: return new OfAction.GotoTable(rnd.nextInt(255));
            case 25: return new OfAction.GroupAction(rnd.nextLong() & 0xffffffffL % (Group.MAX_ID + 1));
            case 26: return new OfAction.SetTunnel(rnd.nextBoolean() ? rnd.nextInt() & 0xffffffffL : rnd.nextLong());
            case 27: {
                if (rnd.nextBoolean()) {
                    int[] t = {0, 1, 5, 65535};
                    return new OfAction.FinTimeout(t[rnd.nextInt(4)], t[rnd.nextInt(4)]);
                }
                byte[] b = new byte[rnd.nextInt(8)];
                rnd.nextBytes(b);
                return new OfAction.Note(b);
            }
            default: return new OfAction.Output(1 + rnd.nextInt(8));
        }
    }

    private FieldRef ref(List<FlowField> fields, int maxBits) {
        FlowField f = fields.get(rnd.nextInt(fields.size()));
        if (rnd.nextBoolean() && f.widthBits() <= maxBits) {
            return FieldRef.whole(f);
        }
        int n = 1 + rnd.nextInt(Math.min(maxBits, f.widthBits()));
        int start = rnd.nextInt(f.widthBits() - n + 1);
        return new FieldRef(f, start, n);
    }

    // ---------------------------------------------------------------- rules and groups

    /** A rule as an add of {@link #flowMod} makes it: apply-actions and perhaps a goto_table last. */
    public Rule rule() {
        Match m = match();
        List<OfAction> actions = flowActions(m, 0, 5);
        if (rnd.nextInt(4) == 0) {
            actions.add(new OfAction.GotoTable(rnd.nextInt(255)));
        }
        Set<FlowMod.Flag> flags = EnumSet.noneOf(FlowMod.Flag.class);
        for (FlowMod.Flag f : FlowMod.Flag.values()) {
            if (f.isRuleState() && rnd.nextInt(5) == 0) {
                flags.add(f);
            }
        }
        return Rule.builder().tableId(rnd.nextInt(255)).priority(rnd.nextInt(65536)).match(m)
                .cookie(rnd.nextBoolean() ? 0 : rnd.nextLong()).idleTimeoutSec(rnd.nextBoolean() ? 0 : rnd.nextInt(65536))
                .hardTimeoutSec(rnd.nextBoolean() ? 0 : rnd.nextInt(65536)).flags(flags).actions(actions).build();
    }

    // ---------------------------------------------------------------- flow mods

    /** A flow mod of any command, with every field, flag and instruction kind the model has. */
    public FlowMod flowMod() {
        return flowMod(FlowMod.Command.values()[rnd.nextInt(FlowMod.Command.values().length)]);
    }

    public FlowMod flowMod(FlowMod.Command command) {
        Match m = match();
        FlowMod.Builder b = FlowMod.builder(command).match(m).priority(rnd.nextInt(65536));
        if (command == FlowMod.Command.ADD) {
            b.tableId(rnd.nextInt(255)).cookie(rnd.nextBoolean() ? 0 : rnd.nextLong())
                    .idleTimeoutSec(rnd.nextBoolean() ? 0 : rnd.nextInt(65536))
                    .hardTimeoutSec(rnd.nextBoolean() ? 0 : rnd.nextInt(65536));
        } else {
            b.tableId(rnd.nextBoolean() ? FlowMod.ALL_TABLES : rnd.nextInt(255));
            int cookieKind = rnd.nextInt(3);
            b.cookie(rnd.nextLong()).cookieMask(cookieKind == 0 ? 0 : cookieKind == 1 ? -1L : rnd.nextLong());
            if (rnd.nextBoolean()) {
                b.outPort(rnd.nextBoolean() ? 1 + rnd.nextInt(OfPorts.MAX) : OfPorts.IN_PORT + rnd.nextInt(8));
            }
            if (rnd.nextBoolean()) {
                b.outGroup(rnd.nextLong() & 0xffffffffL % (Group.MAX_ID + 1));
            }
        }
        for (FlowMod.Flag f : FlowMod.Flag.values()) {
            if (rnd.nextInt(4) == 0) {
                b.flag(f);
            }
        }
        if (!command.isDelete()) {
            b.instructions(instructions(m));
        }
        return b.build();
    }

    /** Each kind of instruction or not, in execution order; apply-actions never empty. */
    public List<Instruction> instructions(Match m) {
        List<Instruction> out = new ArrayList<>();
        if (rnd.nextInt(3) > 0) {
            out.add(new Instruction.ApplyActions(flowActions(m, 1, 5)));
        }
        if (rnd.nextInt(5) == 0) {
            out.add(new Instruction.ClearActions());
        }
        if (rnd.nextInt(5) == 0) {
            out.add(new Instruction.WriteActions(flowActions(m, 0, 3)));
        }
        if (rnd.nextInt(5) == 0) {
            out.add(new Instruction.WriteMetadata(rnd.nextLong(), rnd.nextBoolean() ? -1L : rnd.nextLong()));
        }
        if (rnd.nextInt(4) == 0) {
            out.add(new Instruction.GotoTable(rnd.nextInt(255)));
        }
        return out;
    }

    public Group group() {
        GroupType type = GroupType.values()[rnd.nextInt(4)];
        SelectionMethod method = SelectionMethod.DEFAULT;
        List<FlowField> fields = new ArrayList<>();
        long basis = 0;
        if (type == GroupType.SELECT) {
            method = SelectionMethod.values()[rnd.nextInt(3)];
            basis = rnd.nextBoolean() ? 0 : rnd.nextLong();
            if (method == SelectionMethod.HASH) {
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    fields.add(NAMED.get(rnd.nextInt(NAMED.size())));
                }
            }
        }
        int n = type == GroupType.INDIRECT ? 1 : rnd.nextInt(4);
        boolean sequential = rnd.nextBoolean();
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = sequential ? i : i * 7 + rnd.nextInt(7);
            int watchPort = rnd.nextBoolean() ? OfPorts.NONE : 1 + rnd.nextInt(OfPorts.MAX);
            long watchGroup = rnd.nextBoolean() ? Bucket.WATCH_NONE : rnd.nextInt(1000);
            buckets.add(new Bucket(id, rnd.nextBoolean() ? 1 : rnd.nextInt(65536), watchPort, watchGroup,
                    actions(null)));
        }
        return new Group(rnd.nextLong() & 0xffffffffL % (Group.MAX_ID + 1), type, method, fields, basis, buckets);
    }
}
