package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open vSwitch with DPDK: Debian's {@code ovs-vswitchd-dpdk} started privately by
 * {@link OvsDaemons}, with two {@code net_af_packet} vdev ports on the switch-side veth ends (DPDK
 * reads a TPACKET_V2 ring per frame), or two {@code net_af_xdp} vdev ports (libxdp's default
 * program and an XDP socket per port, copy mode on a veth; Debian: {@code librte-net-af-xdp23}),
 * and one PMD thread on {@link DutOptions#pmdCpu()}.
 *
 * <p>DPDK wants huge pages: {@link Hugepages} reserves {@link DutOptions#dpdkHugepages()} of them
 * and mounts a private hugetlbfs in the run directory, both undone afterwards. ({@code --no-huge}
 * does not work here: Open vSwitch adds {@code --in-memory}, which DPDK refuses with it.) The EAL
 * gets {@code --no-pci} (no device of the machine is touched) and a file prefix of its own; the
 * runtime directory DPDK makes under {@code /var/run/dpdk} is removed afterwards if it was not
 * there before.
 */
final class OvsDpdkDut extends OvsDut {
    static final String DPDK_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk";

    private final boolean afxdp;
    private DpdkMemory memory;

    OvsDpdkDut(DutOptions options, boolean afxdp) {
        super(options);
        this.afxdp = afxdp;
    }

    static String missing(boolean afxdp) {
        String m = missingOvs();
        if (m != null) {
            return m;
        }
        if (!Files.isExecutable(Path.of(DPDK_VSWITCHD))) {
            return DPDK_VSWITCHD + " is not installed (Debian: openvswitch-switch-dpdk)";
        }
        if (afxdp) {
            return driverInstalled("net_af_xdp") ? null
                    : "DPDK's net_af_xdp driver is not installed (Debian: librte-net-af-xdp23)";
        }
        if (!driverInstalled("net_af_packet")) {
            return "DPDK's net_af_packet driver is not installed (Debian: librte-net-af-packet23)";
        }
        return null;
    }

    /** Whether DPDK's poll-mode driver {@code name} (e.g. {@code net_pcap}) is installed. */
    static boolean driverInstalled(String name) {
        for (String lib : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"}) {
            Path dir = Path.of(lib);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.walk(dir, 3)) {
                if (files.anyMatch(p -> p.getFileName().toString().startsWith("librte_" + name + ".so"))) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // Unreadable corners of /usr/lib say nothing about the driver.
            }
        }
        return false;
    }

    @Override
    public DutKind kind() {
        return afxdp ? DutKind.OVS_DPDK_AFXDP : DutKind.OVS_DPDK;
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("ports", afxdp ? "net_af_xdp (libxdp program, XDP socket per port)" : "net_af_packet (TPACKET_V2)");
        s.put("pmdIdle", "busy");
        s.put("pmdCpu", Integer.toString(options.pmdCpu()));
        return s;
    }

    @Override
    public void start(DutTopology topo) throws IOException, InterruptedException {
        Path run = options.runDir().resolve((afxdp ? "ovs-dpdk-afxdp-" : "ovs-dpdk-") + topo.id);
        int pages = options.dpdkHugepages();
        memory = DpdkMemory.reserve(pages, run.resolve("huge"));
        // Leave a quarter of the pages for DPDK's own bookkeeping beyond the socket memory.
        int socketMemMb = Math.max(128, pages * 2 * 3 / 4);
        List<String> config = new ArrayList<>(List.of("other_config:dpdk-init=true",
                "other_config:dpdk-extra=--no-pci --huge-dir " + run.resolve("huge") + " --file-prefix jvs" + topo.id,
                "other_config:dpdk-socket-mem=" + socketMemMb, "other_config:dpdk-socket-limit=" + socketMemMb));
        if (options.pmdCpu() >= 0) {
            config.add("other_config:pmd-cpu-mask=" + options.pmdCpuMask());
        }
        ovs = OvsDaemons.start(run, topo.swNs, config, List.of(), DPDK_VSWITCHD);
        if (afxdp) {
            ovs.addBridge("dpdk", "dpdk-devargs=net_af_xdp0,iface=" + topo.sw1If + ",start_queue=0,queue_count=1",
                    "dpdk", "dpdk-devargs=net_af_xdp1,iface=" + topo.sw2If + ",start_queue=0,queue_count=1",
                    topo.sw1If, topo.sw2If);
        } else {
            ovs.addBridge("dpdk", "dpdk-devargs=net_af_packet0,iface=" + topo.sw1If,
                    "dpdk", "dpdk-devargs=net_af_packet1,iface=" + topo.sw2If, topo.sw1If, topo.sw2If);
        }
    }

    /** After the daemons stopped: gives the huge pages back and removes DPDK's runtime directories. */
    @Override
    void onClose() {
        if (memory != null) {
            memory.close();
            memory = null;
        }
    }
}
