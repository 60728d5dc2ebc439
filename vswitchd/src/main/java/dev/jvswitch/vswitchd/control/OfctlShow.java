package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.config.OpenFlowSettings;
import dev.jvswitch.openflow.backend.BridgeBackend;
import dev.jvswitch.openflow.backend.PortInfo;

/**
 * {@code ofctl/show BRIDGE}: the features and ports of a bridge as {@code ovs-ofctl show} prints
 * them for OpenFlow 1.3 (features reply, port descriptions, switch config).
 *
 * <p>Stateless.
 */
final class OfctlShow {
    private OfctlShow() {
    }

    static List<String> lines(BridgeBackend b, OpenFlowSettings s) {
        long dpid = s.datapathId() != OpenFlowSettings.DERIVED_DATAPATH_ID ? s.datapathId() : b.derivedDatapathId();
        List<String> out = new ArrayList<>();
        out.add("OFPT_FEATURES_REPLY (OF1.3) (xid=0x0): dpid:" + String.format("%016x", dpid));
        out.add("n_tables:254, n_buffers:0");
        out.add("capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS");
        out.add("OFPST_PORT_DESC reply (OF1.3) (xid=0x0):");
        for (PortInfo p : b.ports()) {
            out.add(" " + p.ofport() + "(" + p.name() + "): addr:" + mac(p.mac()));
            out.add("     config:     " + config(p.config()));
            out.add("     state:      " + (p.live() ? "LIVE" : "LINK_DOWN"));
            out.add("     current:    10GB-FD COPPER");
            out.add("     speed: 10000 Mbps now, 0 Mbps max");
        }
        out.add("OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x0): frags=normal miss_send_len=0");
        return out;
    }

    /** The config bits as ovs-ofctl names them (OpenFlow 1.3's bits), or 0. */
    private static String config(int bits) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"PORT_DOWN", "", "NO_RECV", "", "", "NO_FWD", "NO_PACKET_IN"};
        for (int i = 0; i < names.length; i++) {
            if (!names[i].isEmpty() && (bits & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(names[i]);
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    private static String mac(long m) {
        StringBuilder sb = new StringBuilder();
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (m >>> (8 * i)) & 0xff)).append(i == 0 ? "" : ":");
        }
        return sb.toString();
    }
}
