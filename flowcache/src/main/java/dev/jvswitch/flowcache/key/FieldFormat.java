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
    FRAG,
    /** Connection tracking state names joined by {@code |}, e.g. {@code new|trk}. */
    CT_STATE;

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
            case CT_STATE:
                return FlagNames.appendFlags(sb, FlagNames.CT_STATE, (int) value, '|');
            case FRAG:
                return sb.append(FlagNames.fragType((int) value));
            case IPV6:
                throw new IllegalArgumentException("an IPv6 value has two words; use append(sb, high, low)");
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * The name of bit {@code bit} of a flags field ({@link #TCP_FLAGS}: fin, syn, rst, ...;
     * {@link #TUNNEL_FLAGS}: oam, df, csum, key), or null past the named bits. These are OVS's
     * spellings, and the only table of them: printers and parsers of every module use it.
     *
     * @throws IllegalArgumentException for a format that is no flags field
     */
    public String flagName(int bit) {
        String[] names = flagNames();
        return bit >= 0 && bit < names.length ? names[bit] : null;
    }

    /** The bit {@code name} stands for in this flags field, or -1 if it names none. */
    public int flagBit(String name) {
        String[] names = flagNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** How many bits of this flags field have names (bits 0 .. count-1). */
    public int flagCount() {
        return flagNames().length;
    }

    /**
     * OVS's {@code format_flags_masked}: the whole-flags form ({@code syn|ack}) when {@code mask}
     * is {@code allBits}, otherwise {@code +name}/{@code -name} for each masked bit, lowest first.
     */
    public StringBuilder appendMaskedFlags(StringBuilder sb, long value, long mask, long allBits) {
        return FlagNames.appendMaskedFlags(sb, flagNames(), (int) value, (int) mask, (int) allBits);
    }

    private String[] flagNames() {
        switch (this) {
            case TCP_FLAGS:
                return FlagNames.TCP;
            case TUNNEL_FLAGS:
                return FlagNames.TUNNEL;
            case CT_STATE:
                return FlagNames.CT_STATE;
            default:
                throw new IllegalArgumentException(this + " is not a flags format");
        }
    }

    /**
     * Appends a 128-bit value: an {@link #IPV6} address, or a {@link #HEX} number as ovs-ofctl
     * prints {@code xxreg} and {@code ct_label} (no leading zeros).
     */
    public StringBuilder append(StringBuilder sb, long high, long low) {
        if (this == HEX) {
            sb.append("0x");
            if (high == 0) {
                return sb.append(Long.toHexString(low));
            }
            String l = Long.toHexString(low);
            return sb.append(Long.toHexString(high)).append("0".repeat(16 - l.length())).append(l);
        }
        if (this != IPV6) {
            throw new IllegalArgumentException(this + " values have one word");
        }
        return Addresses.appendIpv6(sb, high, low);
    }
}
