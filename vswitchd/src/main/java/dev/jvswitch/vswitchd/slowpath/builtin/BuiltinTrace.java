package dev.jvswitch.vswitchd.slowpath.builtin;

import java.util.HexFormat;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.flowcache.parse.PacketParser;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.port.PortOptions;
import dev.jvswitch.vswitchd.slowpath.BridgeView.PortView;
import dev.jvswitch.vswitchd.slowpath.SlowPathException;

/**
 * {@code ofproto/trace} for the built-in slow path, in the layout of OVS's trace: the flow, the
 * bridge, the rule and actions visited, then {@code Final flow}, {@code Megaflow} and
 * {@code Datapath actions}. Tracing never learns MAC addresses.
 *
 * <p>Control thread only.
 */
final class BuiltinTrace {
    private BuiltinTrace() {
    }

    /**
     * @param flow      match syntax giving {@code in_port} (and, without a packet, the addresses
     *                  and type)
     * @param packetHex the packet in hex, or null
     * @param pool      a pool to parse the packet in
     */
    static String trace(BridgeState b, String flow, String packetHex, MbufPool pool, long nowMs)
            throws SlowPathException {
        BuiltinMatch m;
        try {
            m = BuiltinFlowSyntax.parseMatch(flow == null ? "" : flow);
        } catch (IllegalArgumentException e) {
            throw new SlowPathException("ofproto/trace: " + e.getMessage());
        }
        if (m.inPort() == BuiltinMatch.ANY) {
            throw new SlowPathException("ofproto/trace: the flow must give in_port=N (an OpenFlow port of "
                    + b.name + ")");
        }
        PortView in = b.byOfport(m.inPort());
        if (in == null) {
            throw new SlowPathException("ofproto/trace: bridge " + b.name + " has no OpenFlow port " + m.inPort());
        }
        FlowKey key = new FlowKey();
        if (packetHex != null) {
            parsePacket(packetHex, in.dpPort(), key, pool);
        } else {
            key.set(FlowField.IN_PORT, in.dpPort());
            key.set(FlowField.ETH_SRC, m.dlSrc() == BuiltinMatch.ANY ? 0 : m.dlSrc());
            key.set(FlowField.ETH_DST, m.dlDst() == BuiltinMatch.ANY ? 0 : m.dlDst());
            key.set(FlowField.ETH_TYPE, m.dlType() == BuiltinMatch.ANY ? 0 : m.dlType());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Flow: ").append(describe(in.ofport(), key, null)).append("\n\n");
        sb.append("bridge(\"").append(b.name).append("\")\n");
        sb.append("-".repeat(b.name.length() + 10)).append('\n');
        FlowMask mask = new FlowMask();
        BuiltinXlate.Result r = BuiltinXlate.translate(b, key, mask, false, nowMs, sb);
        mask.exact(FlowField.IN_PORT);
        DpActions actions = r.actions();
        sb.append("\nFinal flow: unchanged\n");
        sb.append("Megaflow: recirc_id=0,eth,").append(describe(in.ofport(), key, mask)).append('\n');
        sb.append("Datapath actions: ").append(actions).append('\n');
        return sb.toString();
    }

    private static void parsePacket(String hex, int dpPort, FlowKey key, MbufPool pool) throws SlowPathException {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex.trim());
        } catch (IllegalArgumentException e) {
            throw new SlowPathException("ofproto/trace: the packet must be hex digits, two per byte");
        }
        if (bytes.length < 14) {
            throw new SlowPathException("ofproto/trace: the packet has " + bytes.length
                    + " bytes; an Ethernet header alone has 14");
        }
        Mbuf m = pool.get();
        if (m == null) {
            throw new SlowPathException("ofproto/trace: no free mbuf to parse the packet in");
        }
        try {
            if (!m.copyFrom(bytes, 0, bytes.length)) {
                throw new SlowPathException("ofproto/trace: the packet (" + bytes.length
                        + " bytes) does not fit an mbuf");
            }
            m.inPort(dpPort);
            new PacketParser().parse(m, key);
        } finally {
            pool.put(m);
        }
    }

    /** The fields the built-in slow path knows, in ovs-ofctl syntax; with a mask, only masked ones. */
    private static String describe(int ofInPort, FlowKey key, FlowMask mask) {
        StringBuilder sb = new StringBuilder("in_port=").append(ofInPort);
        if (mask == null || mask.isExact(FlowField.ETH_SRC)) {
            sb.append(",dl_src=").append(PortOptions.formatMac(key.get(FlowField.ETH_SRC)));
        }
        if (mask == null || mask.isExact(FlowField.ETH_DST)) {
            sb.append(",dl_dst=").append(PortOptions.formatMac(key.get(FlowField.ETH_DST)));
        }
        if (mask == null || mask.isExact(FlowField.ETH_TYPE)) {
            sb.append(",dl_type=0x").append(String.format("%04x", key.get(FlowField.ETH_TYPE)));
        }
        return sb.toString();
    }
}
