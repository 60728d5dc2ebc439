package dev.jvswitch.bench.traffic;

/**
 * How the traffic tools spread N flows over distinct 5-tuples, the same way in a pcap
 * ({@code gen-pcap}) and on the wire ({@code pktgen}): flow {@code i} (0-based) has UDP source
 * port {@code 1024 + i % 60000}, and its source address moves on by one every 60 000 flows
 * ({@code 10.0.0.1 + i / 60000}, IPv6 {@code 2001:db8::1 + i / 60000}).
 */
public final class FlowSpace {
    public static final int FIRST_SRC_PORT = 1024;
    public static final int PORTS_PER_ADDRESS = 60_000;
    /** The first source address, {@code 10.0.0.1}. */
    public static final int FIRST_SRC_IPV4 = 0x0a00_0001;

    private FlowSpace() {
    }

    /** Flow {@code i}'s UDP source port. */
    public static int srcPort(int i) {
        return FIRST_SRC_PORT + i % PORTS_PER_ADDRESS;
    }

    /** How far flow {@code i}'s source address is from the first. */
    public static int addressIndex(int i) {
        return i / PORTS_PER_ADDRESS;
    }
}
