package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;
import java.util.Random;

import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;

/**
 * A test packet drawn from small domains, so that random rules and random packets overlap often:
 * each field is an index into a short list of values. {@link #variant} redraws a few fields,
 * which gives packets that often fall inside another packet's megaflow; {@link #frame} builds
 * the real bytes, which the parser turns into the key (so every key is one the datapath makes).
 */
public final class PacketSpec {
    static final int DP_IN = 0;
    static final int SRC = 1;
    static final int DST = 2;
    static final int VLAN = 3;
    static final int L3 = 4;
    static final int PROTO = 5;
    static final int IP_SRC = 6;
    static final int IP_DST = 7;
    static final int TTL = 8;
    static final int TOS = 9;
    static final int FRAG = 10;
    static final int SPORT = 11;
    static final int DPORT = 12;
    static final int FLAGS = 13;
    static final int ARP_OP = 14;

    static final String[] MACS_SRC = {"00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03",
        "01:00:5e:00:00:01"};
    static final String[] MACS_DST = {"00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:04",
        "ff:ff:ff:ff:ff:ff", "01:80:c2:00:00:00"};
    /** Addresses that share prefixes of many lengths, so that prefix tries answer at many depths. */
    static final String[] IP4 = {"10.0.0.1", "10.0.0.2", "10.0.1.7", "10.0.0.129", "10.128.0.9", "192.168.7.1"};
    static final String[] IP6 = {"2001:db8::1", "2001:db8::2", "2001:db8:1::7", "2001:db8::8001", "2001:db9::1",
        "fd00::7"};
    static final int[] TTLS = {1, 2, 64};
    static final int[] TOSES = {0, 0x20, 0x21, 0xb8};
    /** Ports near and far from each other, for the ports trie. */
    static final int[] SPORTS = {1000, 1001, 2000, 1028, 33000, 1024};
    static final int[] DPORTS = {80, 443, 53, 8080, 81};
    static final int[] FLAG_VALUES = {0x02, 0x10, 0x12};

    /** Number of values of each field. */
    private static final int[] SIZES = {4, MACS_SRC.length, MACS_DST.length, 5, 4, 4, IP4.length, IP4.length, 3, 4, 5,
        SPORTS.length, DPORTS.length, 3, 2};
    /** Fields {@link #variant} may redraw: the ones that do not change the packet's shape. */
    private static final int[] VARIABLE = {DP_IN, SRC, DST, IP_SRC, IP_DST, TTL, TOS, SPORT, DPORT, FLAGS, ARP_OP};

    final int[] v;
    private final int dpPorts;

    private PacketSpec(int[] v, int dpPorts) {
        this.v = v;
        this.dpPorts = dpPorts;
    }

    /** A random packet arriving on one of datapath ports 1..dpPorts. */
    public static PacketSpec random(Random rnd, int dpPorts) {
        int[] v = new int[SIZES.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(SIZES[i]);
        }
        v[DP_IN] = rnd.nextInt(dpPorts);
        // Mostly IPv4 TCP/UDP without fragments: where most rules are written.
        if (rnd.nextInt(3) > 0) {
            v[L3] = 0;
        }
        if (rnd.nextInt(3) > 0) {
            v[FRAG] = 0;
        }
        return new PacketSpec(v, dpPorts);
    }

    /** This packet with 1..3 of its non-shape fields redrawn. */
    public PacketSpec variant(Random rnd) {
        int[] w = v.clone();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int f = VARIABLE[rnd.nextInt(VARIABLE.length)];
            w[f] = rnd.nextInt(f == DP_IN ? dpPorts : SIZES[f]);
        }
        return new PacketSpec(w, dpPorts);
    }

    public int dpInPort() {
        return v[DP_IN] + 1;
    }

    public byte[] frame() {
        FrameBuilder b;
        int l3 = v[L3];
        if (l3 == 2) {
            b = Frames.arp().ip(IP4[v[IP_SRC]], IP4[v[IP_DST]]).arpOp(v[ARP_OP] + 1);
        } else if (l3 == 3) {
            b = Frames.ethernet(0x88cc).payload(new byte[46]);
        } else {
            boolean v6 = l3 == 1;
            switch (v[PROTO]) {
                case 0 -> b = (v6 ? Frames.tcp6() : Frames.tcp4()).tcpFlags(FLAG_VALUES[v[FLAGS]]);
                case 1 -> b = v6 ? Frames.udp6() : Frames.udp4();
                case 2 -> b = v6 ? Frames.icmp6() : Frames.icmp4();
                default -> b = v6 ? Frames.sctp6() : Frames.sctp4();
            }
            b.ip(v6 ? IP6[v[IP_SRC]] : IP4[v[IP_SRC]], v6 ? IP6[v[IP_DST]] : IP4[v[IP_DST]]);
            b.ttl(TTLS[v[TTL]]).tos(TOSES[v[TOS]]);
            if (v[PROTO] == 2) {
                b.icmp(v[SPORT] == 0 ? 8 : 0, v[DPORT] == 2 ? 1 : 0);
            } else {
                b.ports(SPORTS[v[SPORT]], DPORTS[v[DPORT]]);
            }
            if (v[FRAG] == 3) {
                b.fragment(0, true);
            } else if (v[FRAG] == 4) {
                b.fragment(64, false);
            }
        }
        b.src(MACS_SRC[v[SRC]]).dst(MACS_DST[v[DST]]);
        switch (v[VLAN]) {
            case 1 -> b.vlan(10);
            case 2 -> b.vlan(20);
            case 3 -> b.vlan(10, 3);
            case 4 -> b.qinq(10, 20);
            default -> {
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "PacketSpec" + Arrays.toString(v);
    }
}
