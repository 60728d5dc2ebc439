package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's bridge between the two switch-side veth ends: no process, no polling; frames are
 * forwarded in the softirq of whichever CPU delivered them. It shows what the veths and the
 * hosts' stacks cost on their own.
 */
final class LinuxBridgeDut implements Dut {
    private String ns;

    @Override
    public DutKind kind() {
        return DutKind.LINUX_BRIDGE;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("stp", "off");
        return s;
    }

    @Override
    public void start(DutTopology topo) throws IOException, InterruptedException {
        ns = topo.swNs;
        Shell.run("ip", "-n", ns, "link", "add", "br0", "type", "bridge", "stp_state", "0");
        Shell.inNs(ns, "sysctl", "-qw", "net.ipv6.conf.br0.disable_ipv6=1");
        Shell.run("ip", "-n", ns, "link", "set", topo.sw1If, "master", "br0");
        Shell.run("ip", "-n", ns, "link", "set", topo.sw2If, "master", "br0");
        Shell.run("ip", "-n", ns, "link", "set", "br0", "up");
    }

    @Override
    public long cpuTimeNs() {
        return -1;
    }

    /** The bridge goes with the switch namespace; deleting it here only helps a kept namespace. */
    @Override
    public void close() {
        if (ns != null) {
            Shell.tryRun("ip", "-n", ns, "link", "del", "br0");
            ns = null;
        }
    }
}
