package dev.jvswitch.bench.dut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;

/**
 * The switches the benchmarks know how to start, by the names the command line uses, with a check
 * of whether each is installed here: a DUT that is missing is reported as such, never faked.
 */
public enum DutKind {
    /** jvswitchd with two {@code afpacket} ports and {@code NORMAL}. */
    JVSWITCH("jvswitch"),
    /** jvswitchd with two {@code afxdp} ports (XDP mode best-effort: native on veths) and {@code NORMAL}. */
    JVSWITCH_AFXDP("jvswitch-afxdp"),
    /** Open vSwitch with DPDK, two {@code net_af_packet} ports (TPACKET_V2 rings) and a PMD thread. */
    OVS_DPDK("ovs-dpdk"),
    /** Open vSwitch with DPDK, two {@code net_af_xdp} ports (libxdp's program, copy mode on veths) and a PMD thread. */
    OVS_DPDK_AFXDP("ovs-dpdk-afxdp"),
    /** Open vSwitch's userspace datapath on two system ports (AF_PACKET sockets, no PMD). */
    OVS_NETDEV("ovs-netdev"),
    /** The kernel's bridge: the reference for what the veths themselves cost. */
    LINUX_BRIDGE("linux-bridge"),
    /** DPDK's testpmd in io mode between two {@code net_af_packet} ports: the I/O floor, no switching. */
    TESTPMD("testpmd");

    /** The kinds the latency benchmark runs (testpmd answers no ping: it does not learn or switch). */
    public static final Set<DutKind> LATENCY = Collections.unmodifiableSet(EnumSet.of(JVSWITCH, JVSWITCH_AFXDP,
            OVS_DPDK, OVS_DPDK_AFXDP, OVS_NETDEV, LINUX_BRIDGE));
    /** The kinds the throughput search and compare run. */
    public static final Set<DutKind> THROUGHPUT = Collections.unmodifiableSet(EnumSet.allOf(DutKind.class));

    private final String label;

    DutKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The kinds named in {@code value} (comma-separated labels, or {@code all} for every kind of
     * {@code allowed}), each once, in the order given.
     *
     * @throws Args.UsageException naming the command and the label it does not know
     */
    public static List<DutKind> parseList(String command, String value, Set<DutKind> allowed) {
        Set<DutKind> kinds = new LinkedHashSet<>();
        for (String d : value.split(",")) {
            if (d.trim().equals("all")) {
                kinds.addAll(allowed);
                continue;
            }
            DutKind k = of(d);
            if (k == null || !allowed.contains(k)) {
                throw new Args.UsageException(command + ": --dut must be " + labels(allowed) + " or all"
                        + " (comma-separated), got '" + d + "'");
            }
            kinds.add(k);
        }
        return new ArrayList<>(kinds);
    }

    private static String labels(Set<DutKind> kinds) {
        StringBuilder sb = new StringBuilder();
        for (DutKind k : kinds) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.label);
        }
        return sb.toString();
    }

    /** Whether this is jvswitch (with either port type), whose options the command's variants change. */
    public boolean isJvswitch() {
        return this == JVSWITCH || this == JVSWITCH_AFXDP;
    }

    /** The kind named {@code label}, or {@code null}. */
    public static DutKind of(String label) {
        for (DutKind k : values()) {
            if (k.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return null;
    }

    /** Why this DUT cannot run on this machine, or {@code null} if it can. */
    public String missing(DutOptions o) {
        if (!Shell.isRoot()) {
            return "needs root (namespaces, veths)";
        }
        for (String tool : new String[] {"ip", "ethtool", "ping", "taskset"}) {
            if (!Shell.onPath(tool)) {
                return tool + " is not installed";
            }
        }
        return switch (this) {
            case JVSWITCH, JVSWITCH_AFXDP -> JvswitchDut.missing(o);
            case OVS_DPDK -> OvsDpdkDut.missing(false);
            case OVS_DPDK_AFXDP -> OvsDpdkDut.missing(true);
            case OVS_NETDEV -> OvsNetdevDut.missing();
            case LINUX_BRIDGE -> Files.isDirectory(Path.of("/sys/module/bridge")) || Shell.onPath("modprobe")
                    ? null : "the kernel has no bridge module";
            case TESTPMD -> TestpmdDut.missing();
        };
    }

    /** A DUT of this kind with options {@code o}; {@link #missing} should be null. */
    public Dut create(DutOptions o) {
        return switch (this) {
            case JVSWITCH -> new JvswitchDut(o, false);
            case JVSWITCH_AFXDP -> new JvswitchDut(o, true);
            case OVS_DPDK -> new OvsDpdkDut(o, false);
            case OVS_DPDK_AFXDP -> new OvsDpdkDut(o, true);
            case OVS_NETDEV -> new OvsNetdevDut(o);
            case LINUX_BRIDGE -> new LinuxBridgeDut();
            case TESTPMD -> new TestpmdDut(o);
        };
    }
}
