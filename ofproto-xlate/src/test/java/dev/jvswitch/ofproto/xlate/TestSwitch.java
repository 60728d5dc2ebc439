package dev.jvswitch.ofproto.xlate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.jvswitch.flowcache.hash.FlowHash;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.tnl.TunnelOutput;

/**
 * An {@link Ofproto} with a test clock and a liveness map the test flips, plus the parser: the
 * usual fixture of the translation tests. Closing it checks the packet pool for leaks.
 */
public final class TestSwitch implements AutoCloseable {
    public final AtomicLong clockNs = new AtomicLong(1_000_000_000L);
    public final java.util.Set<String> deadPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final Ofproto ofproto = new Ofproto(clockNs::get, p -> !deadPorts.contains(p.name()), TunnelOutput.NONE);
    public final Packets packets = new Packets();

    /** Bridge {@code name} with trunk ports 1..n on datapath ports {@code dpBase+1..dpBase+n}. */
    public TestSwitch bridge(String name, int n, int dpBase) {
        List<OfPort> ports = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ports.add(OfPort.trunk(i, dpBase + i, name + "-p" + i));
        }
        ofproto.addBridge(new BridgeConfig(name, ports));
        return this;
    }

    public TestSwitch bridge(BridgeConfig config) {
        ofproto.addBridge(config);
        return this;
    }

    public TestSwitch flows(String bridge, String... flows) {
        Ofctl.addFlows(ofproto, bridge, List.of(flows));
        return this;
    }

    public FlowKey key(byte[] frame, int dpPort) {
        return packets.key(frame, dpPort);
    }

    /** Translates without learning. */
    public XlateResult xlate(FlowKey key) {
        return ofproto.xlate().translate(ofproto.snapshot(), key, false, clockNs.get(), null);
    }

    /** Translates as an upcall would (NORMAL learns). */
    public XlateResult upcall(FlowKey key) {
        return ofproto.xlate().translate(ofproto.snapshot(), key, true, clockNs.get(), null);
    }

    public String actions(byte[] frame, int dpPort) {
        return xlate(key(frame, dpPort)).actions().toString();
    }

    /** A recirculated packet: fields as committed, dp_hash as the datapath's hash action sets it. */
    public static FlowKey recirculated(FlowKey pass, XlateResult.RecircPoint p) {
        FlowKey next = p.packet().copy();
        next.set(FlowField.DP_HASH, FlowHash.dpHash(FlowHash.hash5(pass), p.hashBasis()) & 0xffff_ffffL);
        return next;
    }

    /** Sum of every bridge's MAC table seq: changes when any NORMAL answer may have. */
    public long macSeq() {
        long s = 0;
        for (String b : ofproto.bridges()) {
            s += ofproto.macTable(b).seq();
        }
        return s;
    }

    @Override
    public void close() {
        packets.close();
    }
}
