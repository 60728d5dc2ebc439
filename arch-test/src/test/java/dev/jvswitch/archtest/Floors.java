package dev.jvswitch.archtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The module map of docs/DESIGN.md as data: every module's floor and kind. A module imports only
 * modules on lower floors (never one on its own floor), product code never imports test support,
 * and the libraries of the control plane never reach the datapath. A module that is not listed
 * here fails the tests until it gets a floor: where a new module sits is a design decision.
 */
final class Floors {
    /** What a module is for; the rules differ for product, tool and test code. */
    enum Kind {
        /** Ships in the daemon or is a library of it. */
        PRODUCT,
        /** A tool module ({@code benchmarks}): may use test support at run time. */
        TOOL,
        /** Test support, below everything: used in test scope only (tools excepted). */
        TEST_SUPPORT,
        /** Tests only, above everything. */
        TEST
    }

    record Module(String name, int floor, Kind kind) {
    }

    static final Map<String, Module> MODULES = table(
            new Module("testkit", 0, Kind.TEST_SUPPORT),
            new Module("mempool", 1, Kind.PRODUCT),
            new Module("flowcache", 2, Kind.PRODUCT),
            new Module("conntrack", 2, Kind.PRODUCT),
            new Module("pmd-core", 3, Kind.PRODUCT),
            new Module("vport-afpacket", 4, Kind.PRODUCT),
            new Module("vport-afxdp", 4, Kind.PRODUCT),
            new Module("vport-vxlan", 4, Kind.PRODUCT),
            new Module("ofproto-xlate", 4, Kind.PRODUCT),
            new Module("switch-config", 4, Kind.PRODUCT),
            new Module("openflow", 5, Kind.PRODUCT),
            new Module("ovsdb", 5, Kind.PRODUCT),
            new Module("vswitchd", 6, Kind.PRODUCT),
            new Module("benchmarks", 6, Kind.TOOL),
            new Module("dist", 7, Kind.PRODUCT),
            new Module("arch-test", 8, Kind.TEST));

    /** The datapath: nothing of the control plane may reach these modules. */
    static final Set<String> DATAPATH = Set.of("mempool", "flowcache", "conntrack", "pmd-core", "vport-afpacket",
            "vport-afxdp", "vport-vxlan");

    /** Modules whose types the datapath never sees (their floors are above or beside it). */
    static final Set<String> CONTROL_PLANE = Set.of("ofproto-xlate", "switch-config", "openflow", "ovsdb",
            "vswitchd");

    /** Libraries of the OpenFlow channel: only the {@code openflow} module may import them. */
    static final List<String> OPENFLOW_CHANNEL_LIBRARIES = List.of(
            "io.netty..",
            "org.projectfloodlight.openflow..");

    /** Control-plane libraries (channel, JSON, OVSDB, config parsing) the datapath never imports. */
    static final List<String> CONTROL_PLANE_LIBRARIES = List.of(
            "io.netty..",
            "org.projectfloodlight.openflow..",
            "com.fasterxml.jackson..",
            "org.opendaylight.ovsdb..",
            "org.yaml.snakeyaml..");

    /** What ofproto-xlate never imports (DESIGN.md): channel, codec, Jackson, OVSDB. */
    static final List<String> OFPROTO_FORBIDDEN_LIBRARIES = List.of(
            "io.netty..",
            "org.projectfloodlight.openflow..",
            "com.fasterxml.jackson..",
            "org.opendaylight.ovsdb..");

    private Floors() {
    }

    static Module module(String name) {
        Module m = MODULES.get(name);
        if (m == null) {
            throw new AssertionError("module '" + name + "' has no floor in " + Floors.class.getName()
                    + " (and docs/DESIGN.md): decide where it sits before it lands");
        }
        return m;
    }

    /**
     * Whether main code of {@code from} may use {@code to}: its own module, or a lower floor that is
     * not test support (a tool may use test support).
     */
    static boolean mayImport(Module from, Module to) {
        if (from.equals(to)) {
            return true;
        }
        if (to.kind() == Kind.TEST_SUPPORT) {
            return from.kind() == Kind.TOOL || from.kind() == Kind.TEST;
        }
        return to.floor() < from.floor();
    }

    /** Modules whose classes main code of {@code from} must not use. */
    static Set<String> notImportableFrom(Module from) {
        return MODULES.values().stream().filter(to -> !mayImport(from, to)).map(Module::name)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Map<String, Module> table(Module... modules) {
        Map<String, Module> m = new LinkedHashMap<>();
        for (Module mod : modules) {
            m.put(mod.name(), mod);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
