package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DPDK's {@code dpdk-testpmd} in {@code io} forwarding mode between two {@code net_af_packet}
 * ports on the switch-side veth ends: frames move from one port to the other untouched, no
 * lookup at all. It is the I/O floor of the AF_PACKET DUTs: what the rings and veths cost with no
 * switching on top. It answers pings (it forwards them both ways), but learns nothing.
 *
 * <p>As {@link OvsDpdkDut}: huge pages reserved and a private hugetlbfs mounted for the run
 * ({@link Hugepages}), {@code --no-pci}, a file prefix of its own, DPDK's runtime directory
 * removed afterwards. The forwarding lcore runs on {@link DutOptions#pmdCpu()}, the main lcore
 * on another CPU. {@code --stats-period} keeps testpmd running without a terminal on stdin.
 *
 * <p><b>Thread-safety:</b> as {@link Dut}.
 */
final class TestpmdDut implements Dut {
    static final String TESTPMD = "dpdk-testpmd";

    private final DutOptions options;
    private DaemonProcess process;
    private DpdkMemory memory;

    TestpmdDut(DutOptions options) {
        this.options = options;
    }

    static String missing() {
        if (!Shell.onPath(TESTPMD)) {
            return TESTPMD + " is not installed (Debian: dpdk-dev)";
        }
        return OvsDpdkDut.driverInstalled("net_af_packet") ? null
                : "DPDK's net_af_packet driver is not installed (Debian: librte-net-af-packet23)";
    }

    @Override
    public DutKind kind() {
        return DutKind.TESTPMD;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("ports", "net_af_packet (TPACKET_V2)");
        s.put("forwardMode", "io");
        s.put("pmdCpu", Integer.toString(options.pmdCpu()));
        return s;
    }

    @Override
    public void start(DutTopology topo) throws IOException, InterruptedException {
        Path run = Files.createDirectories(options.runDir().resolve("testpmd-" + topo.id));
        memory = DpdkMemory.reserve(options.dpdkHugepages(), run.resolve("huge"));
        int fwd = Math.max(0, options.pmdCpu());
        int main = fwd == 0 ? 1 : 0;
        int memMb = Math.max(128, options.dpdkHugepages() * 2 * 3 / 4);
        process = DaemonProcess.start("testpmd", topo.swNs, List.of(TESTPMD, "-l", main + "," + fwd, "--no-pci",
                "--huge-dir", run.resolve("huge").toString(), "--file-prefix", "jvs" + topo.id, "-m",
                Integer.toString(memMb), "--vdev", "net_af_packet0,iface=" + topo.sw1If, "--vdev",
                "net_af_packet1,iface=" + topo.sw2If, "--", "--forward-mode=io", "--auto-start", "--nb-cores=1",
                "--stats-period", "3600"), Map.of(), run.resolve("testpmd.log"));
        process.checkAlive();
    }

    @Override
    public long cpuTimeNs() {
        return process == null ? -1 : process.cpuTimeNs();
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop();
            process = null;
        }
        if (memory != null) {
            memory.close();
            memory = null;
        }
    }
}
