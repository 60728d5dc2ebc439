package dev.jvswitch.flowcache.key;

/**
 * How a field's value is written in flow syntax when nothing more specific applies (the ovs-ofctl
 * style {@code name=value[/mask]}). The datapath printer ({@link FlowPrinter}) follows OVS's
 * per-attribute formats instead, which differ in small ways (e.g. {@code tos} in hex there).
 */
public enum FieldFormat {
    /** Unsigned decimal, e.g. {@code 80}. */
    DECIMAL,
    /** {@code 0x}-prefixed lower-case hex, e.g. {@code 0x800}. */
    HEX,
    /** Colon-separated MAC address, e.g. {@code 00:00:5e:00:53:01}. */
    MAC,
    /** Dotted quad, e.g. {@code 192.0.2.1}. */
    IPV4,
    /** RFC 5952 text, e.g. {@code 2001:db8::1}. */
    IPV6,
    /** TCP flag names joined by {@code |}, e.g. {@code syn|ack}. */
    TCP_FLAGS,
    /** Tunnel flag names joined by {@code |}, e.g. {@code df|key}. */
    TUNNEL_FLAGS,
    /** OVS's fragment type: {@code no}, {@code first} or {@code later}. */
    FRAG;

    /** Appends {@code value} (a field of at most 64 bits) in this format. */
    public StringBuilder append(StringBuilder sb, long value) {
        switch (this) {
            case DECIMAL:
                return sb.append(Long.toUnsignedString(value));
            case HEX:
                return sb.append("0x").append(Long.toHexString(value));
            case MAC:
                return Addresses.appendMac(sb, value);
            case IPV4:
                return Addresses.appendIpv4(sb, (int) value);
            case TCP_FLAGS:
                return FlagNames.appendFlags(sb, FlagNames.TCP, (int) value, '|');
            case TUNNEL_FLAGS:
                return FlagNames.appendFlags(sb, FlagNames.TUNNEL, (int) value, '|');
            case FRAG:
                return sb.append(FlagNames.fragType((int) value));
            case IPV6:
                throw new IllegalArgumentException("an IPv6 value has two words; use append(sb, high, low)");
            default:
                throw new AssertionError(this);
        }
    }

    /** Appends a 128-bit value; only {@link #IPV6} has one. */
    public StringBuilder append(StringBuilder sb, long high, long low) {
        if (this != IPV6) {
            throw new IllegalArgumentException(this + " values have one word");
        }
        return Addresses.appendIpv6(sb, high, low);
    }
}
