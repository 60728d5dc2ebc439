package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.agrona.collections.Int2ObjectHashMap;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.pmd.tunnel.IpAddress;
import dev.jvswitch.pmd.tunnel.TunnelConfig;

/**
 * The tunnel ports and endpoints of one configuration (OVS's {@code tnl-ports} and the port map
 * of {@code ofproto/tunnel.c}), immutable: which tunnel port an output names, which datapath
 * port a received tunnel packet is popped to, and which tunnel port a decapsulated packet then
 * belongs to.
 *
 * <p><b>Listeners.</b> Tunnel ports of one type and UDP port share how received packets are
 * recognised (OVS gives them one datapath port, {@code vxlan_sys_4789}); here each tunnel port
 * keeps its own datapath port for {@code tnl_push}, and the lowest of the group's is the one
 * {@code tnl_pop} recirculates on. The second pass then picks the port by tunnel metadata.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
final class TunnelTable {
    static final TunnelTable EMPTY = new TunnelTable(List.of(), List.of());

    private final Map<String, TunnelPort> byName = new LinkedHashMap<>();
    // Int-keyed: looked up per upcall, so no boxing. Never written once the table is published.
    private final Int2ObjectHashMap<TunnelPort> byDpPort = new Int2ObjectHashMap<>();
    private final Map<String, List<TunnelPort>> groups = new TreeMap<>();
    /** Each port's group (the ports sharing its listener), by datapath port: no key built per packet. */
    private final Int2ObjectHashMap<TunnelPort[]> groupByDpPort = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<TunnelPort> listenerByUdpPort = new Int2ObjectHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException naming the ports when two tunnel types share a UDP port,
     *                                  or two ports share a datapath port
     */
    TunnelTable(List<TunnelPort> ports, List<Endpoint> endpointList) {
        for (Endpoint e : endpointList) {
            if (endpoints.put(e.bridge(), e) != null) {
                throw new IllegalArgumentException("bridge " + e.bridge() + " has two endpoints");
            }
        }
        List<TunnelPort> sorted = new ArrayList<>(ports);
        sorted.sort((a, b) -> Integer.compare(a.dpPort(), b.dpPort()));
        for (TunnelPort p : sorted) {
            byName.put(p.name(), p);
            if (byDpPort.put(p.dpPort(), p) != null) {
                throw new IllegalArgumentException("tunnel port " + p.name() + ": datapath port " + p.dpPort()
                        + " is used twice");
            }
            groups.computeIfAbsent(p.listenKey(), k -> new ArrayList<>()).add(p);
            TunnelPort listener = listenerByUdpPort.get(p.config().dstPort());
            if (listener == null) {
                listenerByUdpPort.put(p.config().dstPort(), p);
            }
            if (listener != null && !listener.type().equals(p.type())) {
                throw new IllegalArgumentException("tunnel ports " + listener.name() + " (" + listener.type() + ") and "
                        + p.name() + " (" + p.type() + ") cannot share UDP port " + p.config().dstPort());
            }
        }
        for (TunnelPort p : byName.values()) {
            groupByDpPort.put(p.dpPort(), groups.get(p.listenKey()).toArray(new TunnelPort[0]));
        }
    }

    TunnelPort byName(String name) {
        return byName.get(name);
    }

    TunnelPort byDpPort(int dpPort) {
        return byDpPort.get(dpPort);
    }

    Collection<TunnelPort> ports() {
        return Collections.unmodifiableCollection(byName.values());
    }

    Endpoint endpoint(String bridge) {
        return endpoints.get(bridge);
    }

    Collection<Endpoint> endpoints() {
        return Collections.unmodifiableCollection(endpoints.values());
    }

    /** The datapath port tunnel packets to UDP port {@code udpPort} are popped to, or -1. */
    int listenerDpPort(int udpPort) {
        TunnelPort p = listenerByUdpPort.get(udpPort);
        return p == null ? -1 : p.dpPort();
    }

    /**
     * The tunnel port a packet decapsulated on datapath port {@code dpPort} belongs to, or null:
     * OVS's {@code tnl_find} order, most specific first — a port with this key before one with
     * {@code key=flow}, one with this remote before {@code remote_ip=flow}, and one with this
     * local address before one with none before {@code local_ip=flow}.
     *
     * @param remote the packet's outer source
     * @param local  the packet's outer destination
     */
    TunnelPort receive(int dpPort, long tunId, IpAddress remote, IpAddress local) {
        return receive(dpPort, tunId, remote == null ? 0 : remote.hi(), remote == null ? 0 : remote.lo(),
                local == null ? 0 : local.hi(), local == null ? 0 : local.lo());
    }

    /** As {@link #receive(int, long, IpAddress, IpAddress)} with the addresses as words (0: none); allocates nothing. */
    TunnelPort receive(int dpPort, long tunId, long remoteHi, long remoteLo, long localHi, long localLo) {
        TunnelPort[] group = groupByDpPort.get(dpPort);
        if (group == null) {
            return null;
        }
        for (int keyFlow = 0; keyFlow < 2; keyFlow++) {
            for (int remoteFlow = 0; remoteFlow < 2; remoteFlow++) {
                for (int localKind = 0; localKind < 3; localKind++) {
                    for (TunnelPort p : group) {
                        if (matches(p.config(), keyFlow == 1, remoteFlow == 1, localKind, tunId, remoteHi, remoteLo,
                                localHi, localLo)) {
                            return p;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static boolean matches(TunnelConfig c, boolean keyFlow, boolean remoteFlow, int localKind, long tunId,
            long remoteHi, long remoteLo, long localHi, long localLo) {
        if (c.keyFlow() != keyFlow || (!keyFlow && c.key() != tunId)) {
            return false;
        }
        if (c.remoteFlow() != remoteFlow
                || (!remoteFlow && (c.remoteIp().hi() != remoteHi || c.remoteIp().lo() != remoteLo))) {
            return false;
        }
        int kind = c.localIp() != null ? 0 : c.localFlow() ? 2 : 1;
        return kind == localKind && (kind != 0 || (c.localIp().hi() == localHi && c.localIp().lo() == localLo));
    }

    /** OVS's {@code tnl/ports/show}; with {@code verbose}, what each listener matches. */
    String show(boolean verbose) {
        StringBuilder sb = new StringBuilder("Listening ports:\n");
        for (List<TunnelPort> group : groups.values()) {
            TunnelPort listener = group.get(0);
            String device = listener.type() + "_sys_" + listener.config().dstPort();
            if (!verbose) {
                sb.append(device).append(" (").append(listener.dpPort()).append(") ref_cnt=").append(group.size())
                        .append('\n');
                continue;
            }
            for (Endpoint e : endpoints.values()) {
                for (IpAddress ip : new IpAddress[] {e.ipv4(), e.ipv6()}) {
                    if (ip == null) {
                        continue;
                    }
                    sb.append(device).append(" (").append(listener.dpPort()).append(") : eth(dst=")
                            .append(Addresses.mac(e.mac())).append(')')
                            .append(ip.isIpv4() ? ",eth_type(0x0800),ipv4(dst=" : ",eth_type(0x86dd),ipv6(dst=")
                            .append(ip).append(",proto=17,frag=no),udp(dst=").append(listener.config().dstPort())
                            .append(")\n");
                }
            }
        }
        return sb.toString();
    }
}
