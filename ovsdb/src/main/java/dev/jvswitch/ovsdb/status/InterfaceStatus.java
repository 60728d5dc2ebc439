package dev.jvswitch.ovsdb.status;

import java.util.Map;

/**
 * What the switch reports of one interface, as OVS's {@code Interface} status columns hold it.
 * Null means "no value" (the column's empty set).
 *
 * @param ofport     OpenFlow port number; -1 when the interface could not be added
 * @param ifindex    the Linux interface index, or null
 * @param mtu        MTU in bytes, or null
 * @param linkState  {@code up} or {@code down}, or null
 * @param adminState {@code up} or {@code down}, or null
 * @param macInUse   {@code aa:bb:cc:dd:ee:ff}, or null
 * @param error      one line saying why it could not be added, or null
 * @param statistics counters by OVS's names ({@code rx_packets}, {@code tx_bytes}, ...)
 * @param status     free-form key/values ({@code driver_name}, ...)
 */
public record InterfaceStatus(long ofport, Long ifindex, Long mtu, String linkState, String adminState,
        String macInUse, String error, Map<String, Long> statistics, Map<String, String> status) {
    public InterfaceStatus {
        statistics = Map.copyOf(statistics);
        status = Map.copyOf(status);
    }

    /** An interface that could not be added, and why. */
    public static InterfaceStatus failed(String error) {
        return new InterfaceStatus(-1, null, null, null, null, null, error, Map.of(), Map.of());
    }
}
