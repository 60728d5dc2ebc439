package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open vSwitch's userspace datapath on two system ports (OVS's {@code netdev-linux}: AF_PACKET
 * sockets read with {@code recvmmsg} by the main thread; system ports get no PMD), started
 * privately by {@link OvsDaemons} with the plain, non-DPDK {@code ovs-vswitchd}. The whole daemon
 * is pinned to {@link DutOptions#pmdCpu()}, where the other DUTs run their forwarding thread.
 */
final class OvsNetdevDut extends OvsDut {
    static final String PLAIN_VSWITCHD = "/usr/lib/openvswitch-switch/ovs-vswitchd";

    OvsNetdevDut(DutOptions options) {
        super(options);
    }

    static String missing() {
        String m = missingOvs();
        if (m != null) {
            return m;
        }
        return binary() == null ? "ovs-vswitchd is not installed (Debian: openvswitch-switch)" : null;
    }

    /** The non-DPDK build if the DPDK one is installed beside it (Debian's alternatives), else whatever is on the PATH. */
    private static String binary() {
        if (Files.isExecutable(Path.of(PLAIN_VSWITCHD))) {
            return PLAIN_VSWITCHD;
        }
        return Shell.onPath("ovs-vswitchd") ? "ovs-vswitchd" : null;
    }

    @Override
    public DutKind kind() {
        return DutKind.OVS_NETDEV;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("ports", "system (AF_PACKET, recvmmsg)");
        s.put("cpu", Integer.toString(options.pmdCpu()));
        return s;
    }

    @Override
    public void start(DutTopology topo) throws IOException, InterruptedException {
        List<String> pin = options.pmdCpu() >= 0 ? List.of("taskset", "-c", Integer.toString(options.pmdCpu())) : List.of();
        ovs = OvsDaemons.start(options.runDir().resolve("ovs-netdev-" + topo.id), topo.swNs, List.of(), pin, binary());
        ovs.addBridge(null, null, null, null, topo.sw1If, topo.sw2If);
    }
}
