package dev.jvswitch.conntrack;

import java.util.List;

/**
 * The text of the {@code dpctl} conntrack commands in OVS 3.1's layouts (taken from the OVS
 * oracle): {@code dump-conntrack}, {@code ct-stats-show} and {@code ct-get-limits}. Control path
 * only: it allocates.
 */
public final class CtShow {
    /** OVS's {@code ct_stats_keys} order and names, by IP protocol. */
    private static final int[] PROTOS = {17, 6, 132, 1, 58, 136, 33, 2};
    private static final String[] NAMES = {"UDP", "TCP", "SCTP", "ICMP", "ICMPV6", "UDPLITE", "DCCP", "IGMP"};

    private CtShow() {
    }

    /** {@code dpctl/dump-conntrack [-m] [-s] [zone=N]}: one line per connection ({@code zone} &lt; 0: all). */
    public static String dump(Conntrack ct, int zone, boolean verbose, boolean stats, long nowMs) {
        StringBuilder sb = new StringBuilder();
        for (CtEntry e : ct.dump(zone, nowMs)) {
            sb.append(e.format(verbose, stats)).append('\n');
        }
        return sb.toString();
    }

    /** {@code dpctl/ct-stats-show [-m]}: connections per protocol (and per TCP state with {@code -m}). */
    public static String stats(Conntrack ct, boolean verbose, long nowMs) {
        List<CtEntry> all = ct.dump(-1, nowMs);
        int[] perProto = new int[NAMES.length + 1];
        int[] tcpStates = new int[11];
        for (CtEntry e : all) {
            int i = indexOf(e.proto());
            perProto[i]++;
            if (e.proto() == 6) {
                tcpStates[Math.max(e.tcpStateOrig(), e.tcpStateReply())]++;
            }
        }
        StringBuilder sb = new StringBuilder("Connections Stats:\n");
        sb.append("    Total: ").append(all.size()).append('\n');
        for (int i = 0; i <= NAMES.length; i++) {
            if (perProto[i] == 0) {
                continue;
            }
            sb.append("  ").append(i < NAMES.length ? NAMES[i] : "OTHER").append(": ").append(perProto[i]).append('\n');
            if (verbose && i == 1) {
                sb.append("    Conn per TCP states:\n");
                for (int s = 0; s < tcpStates.length; s++) {
                    if (tcpStates[s] != 0) {
                        sb.append("\t  [").append(TcpState.name(s)).append("]=").append(tcpStates[s]).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int indexOf(int proto) {
        for (int i = 0; i < PROTOS.length; i++) {
            if (PROTOS[i] == proto) {
                return i;
            }
        }
        return NAMES.length;
    }

    /**
     * {@code dpctl/ct-get-limits [zone=N[,N]...]}: the default limit, then each zone asked for (or
     * every zone with a limit of its own) with its limit and count.
     */
    public static String limits(Conntrack ct, List<Integer> zones) {
        StringBuilder sb = new StringBuilder("default limit=").append(ct.defaultLimit()).append('\n');
        if (zones.isEmpty()) {
            for (int z = 0; z < ConnTable.ZONES; z++) {
                if (ct.hasOwnLimit(z)) {
                    line(sb, ct, z);
                }
            }
        } else {
            for (int z : zones) {
                line(sb, ct, z);
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Conntrack ct, int zone) {
        sb.append("zone=").append(zone).append(",limit=").append(ct.effectiveLimit(zone)).append(",count=")
                .append(ct.zoneConnectionCount(zone)).append('\n');
    }
}
