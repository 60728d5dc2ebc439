package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.bridge.VlanMode;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.mac.MacTable;

/**
 * The NORMAL action (OVS's {@code xlate_normal}): a learning L2 switch with VLANs.
 *
 * <ol>
 *   <li>The input VLAN: an access port ({@code tag}) takes untagged (or priority-tagged) frames
 *       into its VLAN; a trunk port takes a frame into the VLAN of its tag (0 if untagged) if it
 *       carries that VLAN; a native port (native-tagged, native-untagged) takes untagged frames
 *       into its native VLAN and tagged ones as a trunk does. Anything else is dropped.</li>
 *   <li>Frames to the reserved multicast range 01:80:c2:00:00:0x are dropped.</li>
 *   <li>A frame that arrived on a bond member the bond does not take is dropped
 *       ({@link BondXlate#admit}).</li>
 *   <li>A unicast source is learned on the input port (a bond: on the bond) in that VLAN.</li>
 *   <li>A destination learned on another port is sent there; one learned on the input port is
 *       dropped (no hairpin); an unknown, broadcast or multicast destination is flooded to every
 *       port of the VLAN but the input port. A bond gets one copy, through the member its mode
 *       picks among the live ones ({@link BondXlate#choose}).</li>
 *   <li>On the way out a frame gets the tag its output port needs: none on an access port, for
 *       VLAN 0, or for the native VLAN of a native-untagged port; the VLAN's tag otherwise.</li>
 * </ol>
 *
 * <p>The megaflow matches the source and destination MACs and the VLAN id, as OVS's does; the
 * answer also depends on the MAC table, which is not in the key, so every lookup is recorded
 * ({@link MacDependency}) for revalidation, and every source learned ({@link dev.jvswitch.ofproto.mac.MacLearning}) so
 * revalidators can keep it fresh while the megaflow carries the traffic.
 */
final class NormalXlate {
    private static final int VLAN_WORD = FlowField.VLAN_TCI.word();
    private static final int TCI_SHIFT = FlowField.VLAN_TCI.shift();
    private static final int PCP_MASK = 7 << FlowKey.VLAN_PCP_SHIFT;

    private NormalXlate() {
    }

    static void run(XlateContext c) {
        FlowKey f = c.flow();
        FlowMask wc = c.wc();
        wc.exact(FlowField.ETH_SRC);
        wc.exact(FlowField.ETH_DST);
        wc.bits(FlowField.VLAN_TCI, wc.get(FlowField.VLAN_TCI) | FlowKey.VLAN_VID_MASK | FlowKey.VLAN_CFI);

        OfPort in = c.bridge().config().byOfPort(c.inPort());
        if (in == null) {
            c.report(TraceNode.Kind.WARN, "no input bundle, dropping");
            return;
        }
        if (c.bridge().config().isMirrorOutput(in.ofPort())) {
            c.report(TraceNode.Kind.DETAIL, "input port is a mirror output, dropping");
            return;
        }
        int ethType = f.ethType();
        int tci = (int) f.get(FlowField.VLAN_TCI);
        boolean tagged = (tci & FlowKey.VLAN_CFI) != 0;
        if (!tagged && (ethType == FlowKey.ETH_TYPE_VLAN_8021Q || ethType == FlowKey.ETH_TYPE_VLAN_8021AD)) {
            c.report(TraceNode.Kind.WARN, "partial VLAN tag, dropping");
            return;
        }
        int vid = tagged ? tci & FlowKey.VLAN_VID_MASK : 0;
        int vlan;
        if (in.vlanMode().isNative() && vid == 0) {
            // Untagged (or priority-tagged) on a native port: the native VLAN.
            vlan = in.tag();
        } else if (in.vlanMode() == VlanMode.ACCESS) {
            if (vid != 0) {
                if (c.tracing()) {
                    c.report(TraceNode.Kind.ERROR, "dropping VLAN " + vid + " tagged packet received on port "
                            + in.name() + " configured as VLAN " + in.tag() + " access port");
                }
                c.report(TraceNode.Kind.WARN, "disallowed VLAN VID for this input port, dropping");
                return;
            }
            vlan = in.tag();
        } else {
            if (!in.carriesVlan(vid)) {
                if (c.tracing()) {
                    c.report(TraceNode.Kind.ERROR, "dropping VLAN " + vid + " packet received on port " + in.name()
                            + " not configured for trunking VLAN " + vid);
                }
                c.report(TraceNode.Kind.WARN, "disallowed VLAN VID for this input port, dropping");
                return;
            }
            vlan = vid;
        }

        long dst = f.get(FlowField.ETH_DST);
        long src = f.get(FlowField.ETH_SRC);
        if ((dst & ~0xfL) == 0x0180_c200_0000L) {
            c.report(TraceNode.Kind.DETAIL, "packet has reserved destination MAC, dropping");
            return;
        }
        String bridgeName = c.bridge().name();
        MacTable table = c.bridge().macTable();
        Bond inBond = c.bridge().config().bondOf(in.ofPort());
        if (inBond != null && !BondXlate.admit(c, inBond, in.ofPort(), src, dst, vlan)) {
            return;
        }
        // A bond's members are one port to learning: the bond's lowest member stands for it.
        int learnPort = inBond == null ? in.ofPort() : inBond.learnPort();
        if (!isMulticast(src)) {
            c.addMacLearning(bridgeName, vlan, src, learnPort);
            if (c.mayLearn() && table.learn(src, vlan, learnPort, c.nowNs()) != MacTable.Learned.REFRESHED
                    && c.tracing()) {
                c.report(TraceNode.Kind.DETAIL, "learned that " + Addresses.mac(src) + " is on port " + in.name()
                        + " in VLAN " + vlan);
            }
        }
        if (isMulticast(dst)) {
            c.report(TraceNode.Kind.DETAIL, "no learned MAC for destination, flooding");
            flood(c, in, inBond, src, vlan, tci);
            return;
        }
        int port = table.lookup(dst, vlan, c.nowNs());
        c.addMacDependency(bridgeName, vlan, dst, port);
        if (port == MacDependency.UNKNOWN) {
            c.report(TraceNode.Kind.DETAIL, "no learned MAC for destination, flooding");
            flood(c, in, inBond, src, vlan, tci);
            return;
        }
        OfPort out = c.bridge().config().byOfPort(port);
        if (out == null) {
            c.report(TraceNode.Kind.WARN, "learned port is unknown, dropping");
        } else if (out.ofPort() == in.ofPort() || inBond != null && inBond.contains(out.ofPort())) {
            c.report(TraceNode.Kind.DETAIL, "learned port is input port, dropping");
        } else {
            Bond outBond = c.bridge().config().bondOf(out.ofPort());
            OfPort member = outBond == null ? out : BondXlate.choose(c, outBond, src, vlan);
            if (member == null) {
                c.report(TraceNode.Kind.WARN, "no live member in the learned bond, dropping");
                return;
            }
            c.report(TraceNode.Kind.DETAIL, "forwarding to learned port");
            output(c, member, vlan, tci);
        }
    }

    /** To every port of the VLAN but the input's; to a bond once, through the member it picks. */
    private static void flood(XlateContext c, OfPort in, Bond inBond, long src, int vlan, int inTci) {
        BridgeConfig cfg = c.bridge().config();
        List<OfPort> ports = cfg.ports();
        for (int i = 0; i < ports.size(); i++) {
            OfPort p = ports.get(i);
            if (p.ofPort() == in.ofPort()) {
                continue;
            }
            Bond b = cfg.bondOf(p.ofPort());
            if (b != null) {
                if (b == inBond || p.ofPort() != b.learnPort()) {
                    continue;
                }
                p = BondXlate.choose(c, b, src, vlan);
                if (p == null) {
                    continue;
                }
            }
            if (p.carriesVlan(vlan) && !c.bridge().ports().noFlood(p.ofPort()) && !cfg.isMirrorOutput(p.ofPort())) {
                output(c, p, vlan, inTci);
            }
        }
    }

    /**
     * Outputs with the tag {@code out} needs (OVS's {@code output_normal}): the flow's outer tag
     * is set for the output and put back after it, so the commit emits exactly the push, pop or
     * nothing this port needs. A frame that came in tagged keeps its priority bits.
     */
    private static void output(XlateContext c, OfPort out, int vlan, int inTci) {
        long[] w = c.flow().words();
        long saved = w[VLAN_WORD];
        boolean flowTagged = ((saved >>> TCI_SHIFT) & FlowKey.VLAN_CFI) != 0;
        int outTci = out.sendsUntagged(vlan) ? 0
                : vlan | ((inTci & FlowKey.VLAN_CFI) != 0 ? inTci & PCP_MASK : 0) | FlowKey.VLAN_CFI;
        if (outTci == 0) {
            if (flowTagged) {
                w[VLAN_WORD] = saved << 32;
            }
        } else if (flowTagged) {
            w[VLAN_WORD] = (saved & ~(0xffffL << TCI_SHIFT)) | ((long) outTci << TCI_SHIFT);
        } else {
            w[VLAN_WORD] = (saved >>> 32) | ((long) FlowKey.ETH_TYPE_VLAN_8021Q << FlowField.VLAN_TPID.shift())
                    | ((long) outTci << TCI_SHIFT);
        }
        c.outputToPort(out);
        w[VLAN_WORD] = saved;
    }

    private static boolean isMulticast(long mac) {
        return ((mac >>> 40) & 1) != 0;
    }
}
