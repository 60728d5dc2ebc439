package dev.jvswitch.flowcache.actions;

/**
 * Prints a {@link DpActions} program the way OVS's {@code format_odp_actions} prints datapath
 * actions for {@code dpctl/dump-flows}: ports by number, masked sets in the non-verbose form
 * (fields with a zero mask left out, a {@code /mask} only where the mask is partial), numbers
 * in the same C formats ({@code %#x} prints a bare {@code 0}).
 */
final class DpActionsFormat {
    private DpActionsFormat() {
    }

    static void format(DpActions p, StringBuilder sb) {
        int n = p.length();
        int i = 0;
        while (i < n) {
            if (i > 0) {
                sb.append(',');
            }
            switch (p.op(i)) {
                case DpActions.OP_OUTPUT -> sb.append(p.a(i));
                case DpActions.OP_DROP -> sb.append("drop");
                case DpActions.OP_PUSH_VLAN -> pushVlan(sb, p.a(i), (int) p.b(i));
                case DpActions.OP_POP_VLAN -> sb.append("pop_vlan");
                case DpActions.OP_SET_FIELD -> {
                    i = set(p, i, sb);
                    continue;
                }
                case DpActions.OP_HASH -> sb.append("hash(l4(").append(Integer.toUnsignedString(p.a(i))).append("))");
                case DpActions.OP_RECIRC -> {
                    sb.append("recirc(");
                    InetText.altHex(sb, p.a(i) & 0xffffffffL);
                    sb.append(')');
                }
                case DpActions.OP_CLONE -> {
                    sb.append("clone(");
                    format(p.sub(i), sb);
                    sb.append(')');
                }
                case DpActions.OP_TNL_PUSH -> {
                    sb.append("tnl_push(tnl_port(").append(p.a(i)).append("),");
                    TnlHeader.format(sb, (int) p.c(i), p.data(i));
                    sb.append(",out_port(").append(p.b(i)).append("))");
                }
                case DpActions.OP_TNL_POP -> sb.append("tnl_pop(").append(p.a(i)).append(')');
                case DpActions.OP_CT -> DpCt.format(p, i, sb);
                case DpActions.OP_CT_CLEAR -> sb.append("ct_clear");
                case DpActions.OP_METER -> sb.append("meter(").append(p.a(i)).append(')');
                default -> throw new IllegalStateException("opcode " + p.op(i));
            }
            i++;
        }
    }

    /** OVS's {@code format_vlan_tci} with a full mask: vid and pcp always, cfi only when clear. */
    private static void pushVlan(StringBuilder sb, int tpid, int tci) {
        sb.append("push_vlan(");
        if (tpid != DpActions.ETH_TYPE_VLAN) {
            sb.append(String.format("tpid=0x%04x,", tpid));
        }
        sb.append("vid=").append(tci & 0xfff).append(",pcp=").append((tci >>> 13) & 7);
        if ((tci & DpActions.VLAN_CFI) == 0) {
            sb.append(",cfi=0");
        }
        sb.append(')');
    }

    /** Prints the run of set instructions of one group starting at {@code start}; returns its end. */
    private static int set(DpActions p, int start, StringBuilder sb) {
        DpField.Group group = p.field(start).group();
        int end = start + 1;
        while (end < p.length() && p.op(end) == DpActions.OP_SET_FIELD && p.field(end).group() == group) {
            end++;
        }
        sb.append("set(").append(group.printName()).append('(');
        int mark = sb.length();
        switch (group) {
            case SKB_MARK -> {
                InetText.altHex(sb, p.b(start));
                if (p.c(start) != DpField.SKB_MARK.fullMask()) {
                    sb.append('/');
                    InetText.altHex(sb, p.c(start));
                }
            }
            case IPV6 -> ipv6(p, start, end, sb);
            case TUNNEL -> tunnel(p, start, end, sb);
            default -> {
                for (int i = start; i < end; i++) {
                    separate(sb, mark);
                    field(sb, p.field(i), p.b(i), p.c(i));
                }
            }
        }
        sb.append("))");
        return end;
    }

    private static void ipv6(DpActions p, int start, int end, StringBuilder sb) {
        int mark = sb.length();
        int i = start;
        while (i < end) {
            DpField f = p.field(i);
            if (f == DpField.IPV6_SRC_HI || f == DpField.IPV6_SRC_LO || f == DpField.IPV6_DST_HI
                    || f == DpField.IPV6_DST_LO) {
                boolean src = f == DpField.IPV6_SRC_HI || f == DpField.IPV6_SRC_LO;
                DpField hiField = src ? DpField.IPV6_SRC_HI : DpField.IPV6_DST_HI;
                long hi = 0;
                long lo = 0;
                long maskHi = 0;
                long maskLo = 0;
                while (i < end && (p.field(i) == hiField || p.field(i).ordinal() == hiField.ordinal() + 1)) {
                    if (p.field(i) == hiField) {
                        hi = p.b(i);
                        maskHi = p.c(i);
                    } else {
                        lo = p.b(i);
                        maskLo = p.c(i);
                    }
                    i++;
                }
                separate(sb, mark);
                sb.append(src ? "src=" : "dst=");
                InetText.ipv6(sb, hi, lo);
                if (maskHi != -1L || maskLo != -1L) {
                    sb.append('/');
                    InetText.ipv6(sb, maskHi, maskLo);
                }
                continue;
            }
            separate(sb, mark);
            field(sb, f, p.b(i), p.c(i));
            i++;
        }
    }

    private static void tunnel(DpActions p, int start, int end, StringBuilder sb) {
        int mark = sb.length();
        boolean key = false;
        for (int i = start; i < end; i++) {
            separate(sb, mark);
            DpField f = p.field(i);
            if (f == DpField.TUN_ID) {
                sb.append("tun_id=");
                InetText.hex(sb, p.b(i));
                key = true;
            } else {
                field(sb, f, p.b(i), p.c(i));
            }
        }
        // OVS prints a set(tunnel) verbosely, flags included; only the key flag follows from
        // the fields an action can set.
        sb.append(",flags(").append(key ? "key" : "0").append(')');
    }

    /** One {@code name=value[/mask]} in the format OVS uses for that field. */
    private static void field(StringBuilder sb, DpField f, long value, long mask) {
        sb.append(f.printName()).append('=');
        boolean partial = mask != f.fullMask();
        switch (f) {
            case ETH_SRC, ETH_DST, ARP_SHA, ARP_THA -> {
                InetText.mac(sb, value);
                if (partial) {
                    sb.append('/');
                    InetText.mac(sb, mask);
                }
            }
            case IPV4_SRC, IPV4_DST, TUN_IPV4_SRC, TUN_IPV4_DST, ARP_SIP, ARP_TIP -> {
                InetText.ipv4(sb, (int) value);
                if (partial) {
                    sb.append('/');
                    InetText.ipv4(sb, (int) mask);
                }
            }
            case IPV4_TOS, IPV6_TCLASS, IPV6_LABEL, TUN_TOS -> {
                InetText.altHex(sb, value);
                if (partial) {
                    sb.append('/');
                    InetText.altHex(sb, mask);
                }
            }
            default -> {
                // ttl, hlimit and ports: decimal value, hex mask.
                sb.append(value);
                if (partial) {
                    sb.append('/');
                    InetText.altHex(sb, mask);
                }
            }
        }
    }

    private static void separate(StringBuilder sb, int mark) {
        if (sb.length() > mark) {
            sb.append(',');
        }
    }
}
