package dev.jvswitch.conntrack;

/** The ICMP query types conntrack tracks and the type that answers each (OVS's {@code reverse_icmp_type}). */
final class IcmpTypes {
    private IcmpTypes() {
    }

    /** The answering type of ICMPv4 query {@code type} (or the query a reply answers); -1 for others. */
    static int reverse4(int type) {
        return switch (type) {
            case 8 -> 0;
            case 0 -> 8;
            case 13 -> 14;
            case 14 -> 13;
            case 15 -> 16;
            case 16 -> 15;
            case 17 -> 18;
            case 18 -> 17;
            default -> -1;
        };
    }

    /** The same for ICMPv6 echo (128/129); -1 for others. */
    static int reverse6(int type) {
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            default -> -1;
        };
    }

    /** ICMPv4 errors that quote a packet: unreachable, source quench, redirect, time exceeded, parameter problem. */
    static boolean isError4(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
}
