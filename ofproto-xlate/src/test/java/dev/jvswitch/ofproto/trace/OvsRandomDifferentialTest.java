package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.testkit.ovs.Deviation;
import dev.jvswitch.testkit.ovs.OvsCase;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;
import dev.jvswitch.testkit.ovs.OvsTrace;

/**
 * Random rule sets against Open vSwitch: the corpus ({@link OvsDifferentialTest}) holds the cases
 * someone thought of; this draws rule sets of two tables from a small space where rules overlap
 * (IPv4 or IPv6 prefixes of every length over a few base addresses, exact and masked ports near
 * a few values, UDP/TCP/IP, VLAN matches, resubmits, VLAN pushes, rewrites and pops, each table's
 * prefix fields), and packets near those rules (some tagged, some ARP), and requires jvswitch's
 * {@code Megaflow:} and {@code Datapath actions:} to equal OVS's for every packet. The seed is
 * fixed, so a failure reproduces; it names the rule set and the packet. A longer search:
 * {@code -Dovs.random.seed=N -Dovs.random.sets=300} (12 packets a set).
 */
class OvsRandomDifferentialTest {
    private static final long SEED = Long.getLong("ovs.random.seed", 0x5eed_11L);
    private static final int RULE_SETS = Integer.getInteger("ovs.random.sets", 60);
    private static final int PACKETS_PER_SET = 12;
    private static final int[] BASES = {0x0a000000, 0x0a010000, 0x0a010200, 0xc0a80000, 0x0b000000};
    private static final int[] PORTS = {22, 53, 80, 443, 1024, 4096, 5001, 40000};
    /** The high 64 bits of the IPv6 bases (2001:db8::, 2001:db8:1::, fd00::, 2001:db9::). */
    private static final long[] BASES6 = {0x20010db800000000L, 0x20010db800010000L, 0xfd00000000000000L,
        0x20010db900000000L};
    /** A table's prefix fields (null: the default), for IPv4 rule sets and for IPv6 ones. */
    private static final String[] PREFIXES_V4 = {null, null, "none", "nw_src", "nw_dst", "nw_src,nw_dst",
        "ipv6_dst,nw_src"};
    private static final String[] PREFIXES_V6 = {null, "none", "ipv6_dst", "ipv6_src,ipv6_dst",
        "nw_dst,ipv6_src", "ipv6_dst,ipv6_src,nw_src"};
    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2);

    @Test
    void randomRuleSetsAgreeWithOvs() {
        Random rnd = new Random(SEED);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (int s = 0; s < RULE_SETS; s++) {
            boolean v6 = rnd.nextInt(4) == 0;
            List<String> flows = ruleSet(rnd, v6);
            List<OvsCase.Packet> packets = new ArrayList<>();
            for (int p = 0; p < PACKETS_PER_SET; p++) {
                packets.add(new OvsCase.Packet("p" + p, packet(rnd, v6), null, 0));
            }
            Map<Integer, String> prefixes = new LinkedHashMap<>();
            Map<Integer, PrefixFields> jvsPrefixes = new LinkedHashMap<>();
            OVS.oracle().clearPrefixes();
            for (int t = 0; t < 2; t++) {
                String[] choices = v6 ? PREFIXES_V6 : PREFIXES_V4;
                String p = choices[rnd.nextInt(choices.length)];
                if (p != null) {
                    prefixes.put(t, p);
                    OVS.oracle().setPrefixes(t, p);
                    jvsPrefixes.put(t, PrefixFields.parse(Arrays.asList(p.split(","))));
                }
            }
            OvsCase c = new OvsCase("random-" + s, Path.of("random-" + s), List.of(1, 2), prefixes, flows, List.of(), packets,
                    Set.of(OvsCase.MEGAFLOW, OvsCase.ACTIONS), List.of());
            OVS.oracle().replaceFlows(flows);
            Ofproto jvs = OvsTwin.of(List.of(), flows, jvsPrefixes, 1, 2);
            Set<Deviation> applied = new HashSet<>();
            for (OvsCase.Packet p : packets) {
                OvsTrace o = OVS.oracle().trace(p.flow());
                OvsTrace j = OvsTrace.parse(jvs.tracer().trace(OvsOracle.BRIDGE, p.flow()));
                for (String d : c.compare(p, o, j, applied)) {
                    problems.add("rule set " + s + " " + flows + " prefixes " + prefixes + "\n  packet " + p.flow()
                            + ": " + d);
                }
                compared++;
            }
        }
        System.out.printf("random differential: %d packets over %d rule sets, %d differences%n", compared,
                RULE_SETS, problems.size());
        assertThat(problems).as("jvswitch against OVS on random rule sets (seed %d)", SEED).isEmpty();
    }

    private static List<String> ruleSet(Random rnd, boolean v6) {
        List<String> flows = new ArrayList<>();
        int n0 = 2 + rnd.nextInt(5);
        for (int i = 0; i < n0; i++) {
            String action = rnd.nextInt(3) == 0 ? "resubmit(,1)" : rnd.nextBoolean() ? output(rnd) : "drop";
            flows.add("table=0,priority=" + (100 - i * 5) + "," + match(rnd, v6) + ",actions=" + action);
        }
        flows.add("table=0,priority=0,actions=resubmit(,1)");
        int n1 = 1 + rnd.nextInt(4);
        for (int i = 0; i < n1; i++) {
            flows.add("table=1,priority=" + (100 - i * 5) + "," + match(rnd, v6) + ",actions="
                    + (rnd.nextBoolean() ? output(rnd) : "drop"));
        }
        flows.add("table=1,priority=0,actions=drop");
        return flows;
    }

    /** Output to port 2, now and then after a VLAN push, rewrite or pop. */
    private static String output(Random rnd) {
        switch (rnd.nextInt(8)) {
            case 0:
                return "push_vlan:0x8100,mod_vlan_vid:7,output:2";
            case 1:
                return "mod_vlan_vid:9,output:2";
            case 2:
                return "strip_vlan,output:2";
            default:
                return "output:2";
        }
    }

    private static String match(Random rnd, boolean v6) {
        int proto = rnd.nextInt(3);
        String[] names = v6 ? new String[] {"ipv6", "udp6", "tcp6"} : new String[] {"ip", "udp", "tcp"};
        StringBuilder m = new StringBuilder(names[proto]);
        if (rnd.nextInt(6) == 0) {
            m.append(",dl_vlan=").append(5 + rnd.nextInt(2));
        }
        if (rnd.nextInt(3) != 0) {
            m.append(v6 ? ",ipv6_dst=" : ",nw_dst=").append(v6 ? prefix6(rnd) : prefix(rnd));
        }
        if (rnd.nextInt(3) == 0) {
            m.append(v6 ? ",ipv6_src=" : ",nw_src=").append(v6 ? prefix6(rnd) : prefix(rnd));
        }
        if (proto != 0) {
            if (rnd.nextBoolean()) {
                m.append(",tp_dst=").append(port(rnd));
            }
            if (rnd.nextInt(3) == 0) {
                m.append(",tp_src=").append(port(rnd));
            }
        }
        return m.toString();
    }

    private static String prefix(Random rnd) {
        int len = 1 + rnd.nextInt(32);
        int addr = BASES[rnd.nextInt(BASES.length)] | (rnd.nextInt(4) << 8) | rnd.nextInt(4);
        int mask = len == 32 ? -1 : ~(-1 >>> len);
        return ip(addr & mask) + "/" + len;
    }

    /** An IPv6 prefix over one of a few bases: the high 64 bits vary in their last 16, the low in their last 8. */
    private static String prefix6(Random rnd) {
        int len = 1 + rnd.nextInt(128);
        long hi = BASES6[rnd.nextInt(BASES6.length)] | rnd.nextInt(4);
        long lo = rnd.nextInt(4);
        long mhi = len >= 64 ? -1L : ~(-1L >>> len);
        long mlo = len <= 64 ? 0 : len == 128 ? -1L : ~(-1L >>> (len - 64));
        return ip6(hi & mhi, lo & mlo) + "/" + len;
    }

    private static String port(Random rnd) {
        int p = PORTS[rnd.nextInt(PORTS.length)];
        if (rnd.nextInt(4) == 0) {
            int bits = 1 + rnd.nextInt(15);
            int mask = 0xffff & ~((1 << (16 - bits)) - 1);
            return String.format("0x%x/0x%x", p & mask, mask);
        }
        return Integer.toString(p);
    }

    private static String packet(Random rnd, boolean v6) {
        String vlan = rnd.nextInt(4) == 0 ? "dl_vlan=" + (5 + rnd.nextInt(3)) + "," : "";
        if (!v6 && rnd.nextInt(8) == 0) {
            return "in_port=1," + vlan + "arp,arp_spa=" + ip(near(rnd)) + ",arp_tpa=" + ip(near(rnd));
        }
        return "in_port=1," + vlan + l3l4(rnd, v6);
    }

    private static String l3l4(Random rnd, boolean v6) {
        int proto = rnd.nextInt(4);
        String src;
        String dst;
        if (v6) {
            src = "ipv6_src=" + near6(rnd);
            dst = "ipv6_dst=" + near6(rnd);
        } else {
            src = "nw_src=" + ip(near(rnd));
            dst = "nw_dst=" + ip(near(rnd));
        }
        if (proto == 0) {
            return (v6 ? "ipv6," : "ip,") + src + "," + dst + ",nw_proto="
                    + (rnd.nextBoolean() ? 47 : 50);
        }
        String l4 = proto == 1 || proto == 3 ? "udp" : "tcp";
        return l4 + (v6 ? "6," : ",") + src + "," + dst + "," + l4 + "_src=" + nearPort(rnd) + ","
                + l4 + "_dst=" + nearPort(rnd);
    }

    private static int near(Random rnd) {
        int a = BASES[rnd.nextInt(BASES.length)] | (rnd.nextInt(4) << 8) | rnd.nextInt(4);
        int flips = rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
            a ^= 1 << rnd.nextInt(32);
        }
        return a;
    }

    private static String near6(Random rnd) {
        long hi = BASES6[rnd.nextInt(BASES6.length)] | rnd.nextInt(4);
        long lo = rnd.nextInt(4);
        int flips = rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int b = rnd.nextInt(128);
            if (b < 64) {
                hi ^= 1L << b;
            } else {
                lo ^= 1L << (b - 64);
            }
        }
        return ip6(hi, lo);
    }

    private static int nearPort(Random rnd) {
        int p = PORTS[rnd.nextInt(PORTS.length)];
        if (rnd.nextBoolean()) {
            p ^= 1 << rnd.nextInt(16);
        }
        return p;
    }

    private static String ip(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    /** Eight groups, uncompressed, which both sides parse. */
    private static String ip6(long hi, long lo) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long w = i < 4 ? hi : lo;
            int shift = 48 - 16 * (i % 4);
            s.append(i == 0 ? "" : ":").append(Long.toHexString((w >>> shift) & 0xffff));
        }
        return s.toString();
    }
}
