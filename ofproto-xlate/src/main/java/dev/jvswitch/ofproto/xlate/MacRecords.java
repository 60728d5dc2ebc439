package dev.jvswitch.ofproto.xlate;

import java.util.Arrays;
import java.util.List;

/**
 * MAC table facts one translation gathers for NORMAL (lookups it depends on, source MACs it
 * learned): bridge, VLAN, MAC and port, in parallel arrays reused from one translation to the
 * next, turned into records only when the translation's result is kept.
 *
 * <p><b>Thread-safety:</b> part of an {@link XlateContext}, which one translating thread owns.
 */
final class MacRecords {
    /** Makes the record a caller keeps from one entry. */
    interface Maker<T> {
        T make(String bridge, int vlan, long mac, int ofPort);
    }

    private String[] bridge = new String[2];
    private int[] vlan = new int[2];
    private long[] mac = new long[2];
    private int[] port = new int[2];
    private int count;

    /** Forgets every entry (and the bridge names they held). */
    void clear() {
        Arrays.fill(bridge, 0, count, null);
        count = 0;
    }

    void add(String bridgeName, int vlanId, long macAddress, int ofPort) {
        if (count == vlan.length) {
            int cap = count * 2;
            bridge = Arrays.copyOf(bridge, cap);
            vlan = Arrays.copyOf(vlan, cap);
            mac = Arrays.copyOf(mac, cap);
            port = Arrays.copyOf(port, cap);
        }
        bridge[count] = bridgeName;
        vlan[count] = vlanId;
        mac[count] = macAddress;
        port[count++] = ofPort;
    }

    /** The entries as records, in the order added (the shared empty list when there are none). */
    <T> List<T> toList(Maker<T> maker) {
        if (count == 0) {
            return List.of();
        }
        Object[] out = new Object[count];
        for (int i = 0; i < count; i++) {
            out[i] = maker.make(bridge[i], vlan[i], mac[i], port[i]);
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) List.of(out);
        return list;
    }
}
