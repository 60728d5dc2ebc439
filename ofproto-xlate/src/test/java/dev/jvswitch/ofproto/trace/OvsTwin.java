package dev.jvswitch.ofproto.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.testkit.ovs.OvsOracle;

/**
 * The jvswitch side of a differential test: a bridge like the OVS oracle's {@code br0} (OpenFlow
 * port N on datapath port N, named pN) holding the same groups and flows, in ovs-ofctl syntax.
 */
final class OvsTwin {
    private OvsTwin() {
    }

    /** br0 with ports 1, 2 and 3 and {@code flows}. */
    static Ofproto of(List<String> flows) {
        return of(List.of(), flows, Map.of(), 1, 2, 3);
    }

    /** br0 with {@code ports}, the tables' {@code prefixes}, {@code groups} added before {@code flows}. */
    static Ofproto of(List<String> groups, List<String> flows, Map<Integer, PrefixFields> prefixes,
            int... ports) {
        return of(groups, flows, prefixes, ports, List.of());
    }

    /** As above, with br0's TLV map {@code tlvMap} set before the flows go in. */
    static Ofproto of(List<String> groups, List<String> flows, Map<Integer, PrefixFields> prefixes, int[] ports,
            List<TlvMap.Mapping> tlvMap) {
        Ofproto of = new Ofproto();
        if (!tlvMap.isEmpty()) {
            of.tunnels().tlvMaps().add(OvsOracle.BRIDGE, tlvMap);
        }
        List<OfPort> p = new ArrayList<>();
        for (int n : ports) {
            p.add(OfPort.trunk(n, n, "p" + n));
        }
        of.addBridge(new BridgeConfig(OvsOracle.BRIDGE, p).withPrefixes(prefixes));
        List<OfMod> mods = new ArrayList<>();
        for (String g : groups) {
            mods.add(GroupSyntax.parseAdd(g));
        }
        for (String f : flows) {
            mods.add(FlowSyntax.parseAdd(f, of.tunnels().tlvMaps().get(OvsOracle.BRIDGE)));
        }
        of.apply(OvsOracle.BRIDGE, mods);
        return of;
    }
}
