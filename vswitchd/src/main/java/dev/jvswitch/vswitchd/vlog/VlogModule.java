package dev.jvswitch.vswitchd.vlog;

import java.util.List;
import java.util.Locale;

/**
 * The modules {@code vlog/list} shows and {@code vlog/set} takes, with OVS's names where OVS has
 * the module, each mapped onto the jvswitch loggers it covers. The first logger is the module's
 * own (named as the module: what the rate-limited packet warnings log to); the others are the
 * package or logger names of the code that does that job here. Every one of them gets an explicit
 * level, so setting one module never leaks into another through Logback's name hierarchy
 * ({@code dev.jvswitch.pmd.tunnel} stays {@code netdev_vport}'s when {@code dpif_netdev} changes).
 */
public enum VlogModule {
    /** The daemon: start, stop, control socket, changes, reload, the OVSDB session's messages. */
    VSWITCHD("vswitchd", "jvswitchd", "dev.jvswitch.vswitchd"),
    /** Ports and bridges being added, removed, reopened by the switch. */
    BRIDGE("bridge", "dev.jvswitch.vswitchd.run", "dev.jvswitch.config"),
    /** The datapath: PMDs, EMC/SMC/dpcls, executor, mempool. */
    DPIF_NETDEV("dpif_netdev", "dev.jvswitch.pmd", "dev.jvswitch.flowcache", "dev.jvswitch.mempool"),
    /** Port counters and the in-memory port types (ring, pcap, null). */
    NETDEV("netdev", "dev.jvswitch.pmd.netdev", "dev.jvswitch.pmd.port"),
    NETDEV_AFPACKET("netdev_afpacket", "dev.jvswitch.afpacket"),
    NETDEV_AFXDP("netdev_afxdp", "dev.jvswitch.afxdp"),
    /** Tunnel ports and native tunnel push/pop. */
    NETDEV_VPORT("netdev_vport", "dev.jvswitch.vxlan", "dev.jvswitch.pmd.tunnel"),
    /** Translation, tunnel routing and neighbours. */
    OFPROTO_DPIF_XLATE("ofproto_dpif_xlate", "dev.jvswitch.ofproto.xlate", "dev.jvswitch.ofproto.tnl"),
    /** Upcalls, the flow limit and the revalidators. */
    OFPROTO_DPIF_UPCALL("ofproto_dpif_upcall", "dev.jvswitch.ofproto.upcall", "dev.jvswitch.ofproto.revalidate"),
    /** The rest of ofproto: tables, groups, MAC learning. */
    OFPROTO("ofproto", "dev.jvswitch.ofproto"),
    CONNTRACK("conntrack", "dev.jvswitch.conntrack"),
    /** The OpenFlow channel: controllers, listeners, connections. */
    CONNMGR("connmgr", "openflow", "dev.jvswitch.openflow", "io.netty"),
    /** The OVSDB client (its session messages log as {@code vswitchd} today). */
    OVSDB_IDL("ovsdb_idl", "dev.jvswitch.ovsdb", "dev.jvswitch.vswitchd.db"),
    /** The control and unixctl sockets. */
    UNIXCTL("unixctl", "dev.jvswitch.vswitchd.control", "dev.jvswitch.vswitchd.unixctl"),
    /** Port mirroring to pcap files and interfaces. */
    MIRROR("mirror", "dev.jvswitch.vswitchd.capture"),
    /** The Prometheus endpoint. */
    METRICS("metrics", "dev.jvswitch.vswitchd.metrics"),
    VLOG("vlog", "dev.jvswitch.vswitchd.vlog");

    private final String ovsName;
    private final List<String> loggers;

    VlogModule(String ovsName, String... others) {
        this.ovsName = ovsName;
        String[] all = new String[others.length + 1];
        all[0] = ovsName;
        System.arraycopy(others, 0, all, 1, others.length);
        this.loggers = List.of(all);
    }

    /** The name {@code vlog/list} prints and {@code vlog/set} takes, e.g. {@code dpif_netdev}. */
    public String ovsName() {
        return ovsName;
    }

    /** The module's own logger name (its {@link #ovsName()}) first, then the loggers it covers. */
    public List<String> loggers() {
        return loggers;
    }

    /** The module named {@code name} (case-insensitive), or null. */
    public static VlogModule byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (VlogModule m : values()) {
            if (m.ovsName.equals(n)) {
                return m;
            }
        }
        return null;
    }
}
