package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.HashFields;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.group.Bucket;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.group.GroupType;
import dev.jvswitch.ofproto.group.SelectionMethod;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.table.TableMiss;

/**
 * Random switches for the property tests: one bridge, or two joined by patch ports; ports in
 * access and trunk modes; rules over four tables with overlapping matches drawn from the same
 * small domains as {@link PacketSpec} (address prefixes of many lengths, port ranges), every
 * action translation knows, groups of every type and selection method, tables tracking prefixes
 * of different fields or none, a seeded MAC table and some dead ports.
 */
public final class WorldGen {
    static final int[] PRIORITIES = {0, 10, 20, 30, 100};
    static final int TABLES = 4;

    private final Random rnd;
    /** Datapath ports packets may arrive on: 1..4 on br0, 5..6 on br1 when there are two bridges. */
    public int dpPorts;
    /** Per bridge, the tables whose miss continues (for the reference classifier). */
    final java.util.Map<String, java.util.Set<Integer>> continueTables = new java.util.HashMap<>();
    final List<String> portNames = new ArrayList<>();
    /** Groups the bridge being built has so far: actions name only these (the tables insist). */
    private final List<Long> groupIds = new ArrayList<>();

    public WorldGen(Random rnd) {
        this.rnd = rnd;
    }

    /** Fills {@code sw} with bridges, rules, groups, learned MACs and dead ports. */
    public void build(TestSwitch sw) {
        boolean twoBridges = rnd.nextInt(3) == 0;
        List<OfPort> br0 = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            br0.add(port(i, i, "br0-p" + i));
        }
        if (twoBridges) {
            br0.add(OfPort.patch(5, "br0-patch", "br1-patch"));
        }
        if (rnd.nextBoolean()) {
            br0.add(OfPort.trunk(OfPorts.LOCAL, 9, "br0"));
        }
        sw.bridge(new BridgeConfig("br0", br0).withPrefixes(prefixes()));
        dpPorts = 4;
        if (twoBridges) {
            List<OfPort> br1 = new ArrayList<>();
            br1.add(OfPort.patch(1, "br1-patch", "br0-patch"));
            br1.add(port(2, 5, "br1-p2"));
            br1.add(port(3, 6, "br1-p3"));
            sw.bridge(new BridgeConfig("br1", br1).withPrefixes(prefixes()));
            dpPorts = 6;
        }
        for (String bridge : sw.ofproto.bridges()) {
            groupIds.clear();
            for (long id = 1; id <= 4; id++) {
                if (rnd.nextInt(4) > 0) {
                    Group g = group(id);
                    sw.ofproto.apply(bridge, GroupMod.add(g));
                    groupIds.add(id);
                }
            }
            int n = 2 + rnd.nextInt(14);
            List<FlowMod> adds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                adds.add(rule().flowStats(0).toAdd());
            }
            sw.ofproto.apply(bridge, adds);
            for (int t = 0; t < TABLES; t++) {
                if (rnd.nextInt(6) == 0) {
                    sw.ofproto.setTableMiss(bridge, t, TableMiss.CONTINUE);
                    continueTables.computeIfAbsent(bridge, b -> new java.util.HashSet<>()).add(t);
                }
            }
            for (int i = rnd.nextInt(4); i > 0; i--) {
                sw.ofproto.macTable(bridge).learn(Addresses.parseMac(PacketSpec.MACS_DST[rnd.nextInt(3)]),
                        pick(0, 10, 20), 1 + rnd.nextInt(4), sw.clockNs.get());
            }
        }
        for (String name : portNames) {
            if (rnd.nextInt(5) == 0) {
                sw.deadPorts.add(name);
            }
        }
    }

    private static final PrefixFields[] PREFIX_CONFIGS = {PrefixFields.NONE,
        PrefixFields.of(FlowField.IPV6_DST, FlowField.IPV6_SRC, FlowField.NW_DST),
        PrefixFields.of(FlowField.NW_SRC), PrefixFields.of(FlowField.IPV6_SRC, FlowField.NW_DST, FlowField.NW_SRC)};

    /** Prefix fields for some tables (the rest keep nw_dst,nw_src): tries on, off and on other fields. */
    private java.util.Map<Integer, PrefixFields> prefixes() {
        java.util.Map<Integer, PrefixFields> out = new java.util.HashMap<>();
        for (int t = 0; t < TABLES; t++) {
            if (chance(0.4)) {
                out.put(t, PREFIX_CONFIGS[rnd.nextInt(PREFIX_CONFIGS.length)]);
            }
        }
        return out;
    }

    private OfPort port(int ofPort, int dpPort, String name) {
        portNames.add(name);
        switch (rnd.nextInt(4)) {
            case 0:
                return OfPort.access(ofPort, dpPort, name, pick(10, 20));
            case 1:
                return new OfPort(ofPort, dpPort, name, OfPort.NO_TAG, Set.of(0, 10), null);
            default:
                return OfPort.trunk(ofPort, dpPort, name);
        }
    }

    // ------------------------------------------------------------------ rules

    Rule rule() {
        int table = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(TABLES);
        if (chance(0.12)) {
            // A clause of conjunction 1 (priority 40) or 2 (priority 50), with two clauses each;
            // one priority per id keeps which of two completed ids wins out of the question.
            long id = 1 + rnd.nextInt(2);
            return Rule.builder().tableId(table).priority(id == 1 ? 40 : 50).match(match())
                    .actions(List.of(new OfAction.Conjunction(id, 1 + rnd.nextInt(2), 2))).build();
        }
        return Rule.builder().tableId(table).priority(PRIORITIES[rnd.nextInt(PRIORITIES.length)]).match(match())
                .actions(actions(table, 1 + rnd.nextInt(4), true)).build();
    }

    Match match() {
        Match.Builder b = Match.builder();
        int kind = rnd.nextInt(8);
        int ethType = switch (kind) {
            case 1, 2, 3, 4 -> FlowKey.ETH_TYPE_IPV4;
            case 5, 6 -> FlowKey.ETH_TYPE_IPV6;
            case 7 -> FlowKey.ETH_TYPE_ARP;
            default -> -1;
        };
        int proto = switch (kind) {
            case 2, 6 -> FlowKey.IPPROTO_TCP;
            case 3 -> FlowKey.IPPROTO_UDP;
            case 4 -> FlowKey.IPPROTO_ICMP;
            default -> -1;
        };
        if (ethType >= 0) {
            b.set(FlowField.ETH_TYPE, ethType);
        }
        if (proto >= 0) {
            b.set(FlowField.NW_PROTO, proto);
        }
        if (chance(0.3)) {
            b.set(FlowField.IN_PORT, 1 + rnd.nextInt(4));
        }
        if (chance(0.15)) {
            b.set(FlowField.REG0, pick(0, 1, 2, 3), chance(0.5) ? 0xffff_ffffL : 1);
        }
        if (chance(0.1)) {
            b.set(FlowField.METADATA, pick(0, 5), 0xff);
        }
        if (chance(0.1)) {
            b.set(FlowField.CONJ_ID, 1 + rnd.nextInt(2));
        }
        if (chance(0.15)) {
            b.set(FlowField.ETH_SRC, mac(PacketSpec.MACS_SRC[rnd.nextInt(PacketSpec.MACS_SRC.length)]));
        }
        if (chance(0.15)) {
            b.set(FlowField.ETH_DST, mac(PacketSpec.MACS_DST[rnd.nextInt(PacketSpec.MACS_DST.length)]));
        } else if (chance(0.1)) {
            b.set(FlowField.ETH_DST, 0x0100_0000_0000L, 0x0100_0000_0000L); // multicast bit
        }
        if (chance(0.2)) {
            switch (rnd.nextInt(3)) {
                case 0 -> b.set(FlowField.VLAN_TCI, pick(10, 20) | FlowKey.VLAN_CFI, 0x1fff);
                case 1 -> b.set(FlowField.VLAN_TCI, 0, 0x1fff);
                default -> b.set(FlowField.VLAN_TCI, FlowKey.VLAN_CFI, FlowKey.VLAN_CFI);
            }
        }
        if (ethType == FlowKey.ETH_TYPE_IPV4) {
            ipv4Field(b, FlowField.NW_SRC);
            ipv4Field(b, FlowField.NW_DST);
            if (chance(0.15)) {
                b.set(FlowField.NW_TTL, PacketSpec.TTLS[rnd.nextInt(3)]);
            }
            if (chance(0.15)) {
                b.set(FlowField.NW_TOS, PacketSpec.TOSES[rnd.nextInt(4)] & 0xfc, 0xfc);
            }
            if (chance(0.1)) {
                b.set(FlowField.NW_FRAG, pick(0, 1, 3), pick(1, 3));
            }
        } else if (ethType == FlowKey.ETH_TYPE_IPV6) {
            for (FlowField f : new FlowField[] {FlowField.IPV6_DST, FlowField.IPV6_SRC}) {
                if (chance(f == FlowField.IPV6_DST ? 0.4 : 0.2)) {
                    long[] a = Addresses.parseIpv6(PacketSpec.IP6[rnd.nextInt(PacketSpec.IP6.length)]);
                    int len = pick(128, 64, 48, 32, 127, 113);
                    long mh = len >= 64 ? -1L : -1L << (64 - len);
                    long ml = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
                    b.set128(f, a[0] & mh, a[1] & ml, mh, ml);
                }
            }
        } else if (ethType == FlowKey.ETH_TYPE_ARP) {
            if (chance(0.4)) {
                b.set(FlowField.ARP_OP, 1 + rnd.nextInt(2));
            }
            if (chance(0.3)) {
                b.set(FlowField.ARP_TPA, Addresses.parseIpv4(PacketSpec.IP4[rnd.nextInt(3)]) & 0xffff_ffffL);
            }
        }
        if (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_UDP) {
            if (chance(0.4)) {
                // Exact, or a range (a prefix of the port), or now and then a mask that is not one.
                long m = pick(0xffff, 0xffff, 0xfff0, 0xff00, 0xfffc, 0x0f0f);
                b.set(FlowField.TP_DST, PacketSpec.DPORTS[rnd.nextInt(PacketSpec.DPORTS.length)] & m, m);
            }
            if (chance(0.25)) {
                long m = pick(0xfff0, 0xffff, 0xfc00, 0x8000);
                b.set(FlowField.TP_SRC, PacketSpec.SPORTS[rnd.nextInt(PacketSpec.SPORTS.length)] & m, m);
            }
            if (proto == FlowKey.IPPROTO_TCP && chance(0.15)) {
                b.set(FlowField.TCP_FLAGS, 0x02, 0x02);
            }
        } else if (proto == FlowKey.IPPROTO_ICMP && chance(0.4)) {
            b.set(FlowField.ICMP_TYPE, pick(0, 8));
        }
        return b.build();
    }

    private void ipv4Field(Match.Builder b, FlowField f) {
        if (chance(0.35)) {
            int ip = Addresses.parseIpv4(PacketSpec.IP4[rnd.nextInt(PacketSpec.IP4.length)]);
            int bits = pick(32, 24, 16, 8, 25, 31, 9);
            long mask = (0xffff_ffffL << (32 - bits)) & 0xffff_ffffL;
            b.set(f, ip & mask, mask);
        }
    }

    // ------------------------------------------------------------------ actions

    List<OfAction> actions(int table, int n, boolean allowGroups) {
        List<OfAction> out = new ArrayList<>();
        if (chance(0.08)) {
            return out; // drop
        }
        for (int i = 0; i < n; i++) {
            out.add(action(table, allowGroups));
        }
        if (table < TABLES - 1 && chance(0.2)) {
            if (chance(0.3)) {
                out.add(new OfAction.WriteMetadata(pick(0, 5, 0x105), chance(0.5) ? -1L : 0xff));
            }
            out.add(new OfAction.GotoTable(table + 1 + rnd.nextInt(TABLES - 1 - table)));
        }
        return out;
    }

    private OfAction action(int table, boolean allowGroups) {
        switch (rnd.nextInt(31)) {
            case 28:
                return new OfAction.Multipath(HashFields.values()[rnd.nextInt(HashFields.values().length)],
                        rnd.nextInt(3), OfAction.Multipath.Algorithm.values()[rnd.nextInt(4)], 1 + rnd.nextInt(4),
                        rnd.nextInt(9), FieldRef.range(FlowField.REG0, 0, 15));
            case 29:
                return new OfAction.Bundle(HashFields.values()[rnd.nextInt(HashFields.values().length)], rnd.nextInt(3),
                        chance(0.7), List.of(1 + rnd.nextInt(4), 1 + rnd.nextInt(4)),
                        chance(0.5) ? null : FieldRef.range(FlowField.REG0, 0, 15));
            case 30:
                return chance(0.5) ? new OfAction.Clone(List.of(new OfAction.ModDlSrc(mac(PacketSpec.MACS_SRC[0])),
                        new OfAction.Output(1 + rnd.nextInt(4))))
                        : chance(0.5) ? new OfAction.StackPush(FieldRef.range(FlowField.NW_SRC, 0, 7))
                        : chance(0.7) ? new OfAction.StackPop(FieldRef.range(FlowField.REG0, 0, 7))
                        : new OfAction.FinTimeout(pick(0, 5), pick(0, 10));
            case 26:
                return chance(0.5) ? new OfAction.Load(pick(1, 2, 3), FieldRef.whole(FlowField.REG0))
                        : new OfAction.Move(FieldRef.range(FlowField.ETH_SRC, 0, 1), FieldRef.range(FlowField.REG0, 0, 1));
            case 27:
                return chance(0.5) ? OfAction.SetField.masked(FlowField.XREG0, 1L << 32, 1L << 32)
                        : new OfAction.Move(FieldRef.range(FlowField.REG0, 0, 7), FieldRef.range(FlowField.TP_DST, 0, 7));
            case 0: case 1: case 2: case 3:
                return new OfAction.Output(1 + rnd.nextInt(5));
            case 4:
                return new OfAction.InPort();
            case 5:
                return chance(0.5) ? new OfAction.Flood() : new OfAction.All();
            case 6: case 7:
                return new OfAction.Normal();
            case 8:
                return chance(0.3) ? new OfAction.Controller(OfAction.Controller.DEFAULT_MAX_LEN) : new OfAction.Local();
            case 9: case 10:
                return new OfAction.Resubmit(chance(0.7) ? OfPorts.IN_PORT : 1 + rnd.nextInt(4), rnd.nextInt(TABLES));
            case 11:
                return OfAction.SetField.exact(FlowField.NW_DST,
                        Addresses.parseIpv4(PacketSpec.IP4[rnd.nextInt(3)]) & 0xffff_ffffL);
            case 12:
                return chance(0.5) ? new OfAction.ModDlSrc(mac(PacketSpec.MACS_SRC[rnd.nextInt(3)]))
                        : new OfAction.ModDlDst(mac(PacketSpec.MACS_DST[rnd.nextInt(3)]));
            case 13:
                return chance(0.5) ? new OfAction.ModTpDst(PacketSpec.DPORTS[rnd.nextInt(3)])
                        : OfAction.SetField.exact(FlowField.TP_SRC, PacketSpec.SPORTS[rnd.nextInt(3)]);
            case 14:
                return chance(0.5) ? new OfAction.ModNwTos(PacketSpec.TOSES[rnd.nextInt(4)] & 0xfc)
                        : new OfAction.ModNwTtl(PacketSpec.TTLS[rnd.nextInt(3)]);
            case 15: case 16:
                return new OfAction.DecTtl();
            case 17:
                return chance(0.5) ? new OfAction.PushVlan(0x8100) : new OfAction.StripVlan();
            case 18:
                return chance(0.6) ? new OfAction.ModVlanVid(pick(10, 20, 30)) : new OfAction.ModVlanPcp(pick(0, 5));
            case 19:
                return chance(0.5) ? new OfAction.Load(rnd.nextInt(64), FieldRef.range(FlowField.NW_TOS, 2, 7))
                        : new OfAction.Load(rnd.nextInt(256), FieldRef.range(FlowField.ETH_DST, 0, 7));
            case 20:
                return chance(0.5) ? new OfAction.Move(FieldRef.whole(FlowField.NW_SRC), FieldRef.whole(FlowField.NW_DST))
                        : new OfAction.Move(FieldRef.whole(FlowField.ETH_SRC), FieldRef.whole(FlowField.ETH_DST));
            case 21: case 22: case 23:
                return allowGroups && !groupIds.isEmpty() ? new OfAction.GroupAction(groupIds.get(rnd.nextInt(groupIds.size())))
                        : new OfAction.Output(1);
            case 24:
                return chance(0.5) ? new OfAction.SetTunnel(rnd.nextInt(3)) : OfAction.SetField.exact(FlowField.SKB_MARK, 7);
            default:
                return chance(0.5) ? new OfAction.Note(new byte[] {1, 2})
                        : OfAction.SetField.exact128(FlowField.IPV6_DST, 0x2001_0db8_0000_0000L, 9);
        }
    }

    // ------------------------------------------------------------------ groups

    Group group(long id) {
        GroupType type = GroupType.values()[rnd.nextInt(GroupType.values().length)];
        int n = type == GroupType.INDIRECT ? 1 : 1 + rnd.nextInt(4);
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int weight = type == GroupType.SELECT ? rnd.nextInt(6) : Bucket.DEFAULT_WEIGHT;
            int watch = type == GroupType.FAST_FAILOVER && chance(0.8) ? 1 + rnd.nextInt(4) : OfPorts.NONE;
            long watchGroup = type == GroupType.FAST_FAILOVER && chance(0.2) ? 1 + rnd.nextInt(4) : Bucket.WATCH_NONE;
            buckets.add(new Bucket(i, weight, watch, watchGroup, actions(0, 1 + rnd.nextInt(2), true)));
        }
        if (type != GroupType.SELECT) {
            return Group.of(id, type, buckets);
        }
        SelectionMethod method = SelectionMethod.values()[rnd.nextInt(3)];
        List<FlowField> fields = method == SelectionMethod.HASH
                ? (chance(0.5) ? List.of(FlowField.NW_SRC, FlowField.TP_DST) : List.of(FlowField.ETH_DST))
                : List.of();
        return new Group(id, type, method, fields, rnd.nextInt(3), buckets);
    }

    // ------------------------------------------------------------------ helpers

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    private int pick(int... values) {
        return values[rnd.nextInt(values.length)];
    }

    private static long mac(String text) {
        return Addresses.parseMac(text);
    }
}
