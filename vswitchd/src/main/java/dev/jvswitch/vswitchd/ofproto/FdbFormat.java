package dev.jvswitch.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.ofproto.mac.MacTable;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.pmd.port.PortOptions;

/**
 * {@code fdb/show} in OVS's layout: a header, then one line per learned address with its
 * OpenFlow port, VLAN, MAC and age in seconds. OVS prints in hash order; we sort by port, VLAN
 * and MAC so that the output is stable.
 */
public final class FdbFormat {
    public static final String HEADER = " port  VLAN  MAC                Age\n";

    private FdbFormat() {
    }

    public static String show(List<MacTable.Entry> entries) {
        List<MacTable.Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(MacTable.Entry::ofPort).thenComparingInt(MacTable.Entry::vlan)
                .thenComparingLong(MacTable.Entry::mac));
        StringBuilder sb = new StringBuilder(HEADER);
        for (MacTable.Entry e : sorted) {
            sb.append(String.format(Locale.ROOT, "%5s  %4d  %s  %3d%n", OfPorts.format(e.ofPort()), e.vlan(),
                    PortOptions.formatMac(e.mac()), Math.max(0, e.ageNs()) / 1_000_000_000L));
        }
        return sb.toString();
    }
}
