package dev.jvswitch.flowcache.actions;

/**
 * Reads datapath actions in the syntax {@link DpActionsFormat} prints (OVS's
 * {@code odp_actions_from_string} for the actions jvswitch has). Every action goes through
 * {@link DpActionsBuilder}, so a parsed program passes the same checks as a built one.
 *
 * <pre>
 *   program  := action ( "," action )*
 *   action   := port | "drop" | "pop_vlan" | "push_vlan(" [ "tpid=" n "," ] "vid=" n ",pcp=" n [ ",cfi=" n ] ")"
 *             | "set(" group "(" field ( "," field )* "))" | "set(skb_mark(" n [ "/" n ] "))"
 *             | "hash(l4(" n "))" | "recirc(" n ")" | "clone(" program ")" | "tnl_pop(" port ")"
 *             | "tnl_push(tnl_port(" port ")," header ",out_port(" port "))"
 *             | "ct" [ "(" ct-arg ( "," ct-arg )* ")" ] | "ct_clear"   (see DpCt) | "meter(" n ")"
 *   field    := name "=" value [ "/" mask ]
 * </pre>
 */
final class DpActionsParser {
    private final TextCursor in;

    DpActionsParser(String text) {
        this.in = new TextCursor(text);
    }

    DpActions parseProgram() {
        in.skipSpace();
        if (in.atEnd()) {
            throw in.error("empty program (write 'drop' for a program that drops)");
        }
        DpActions program = parseActions(0);
        in.skipSpace();
        if (!in.atEnd()) {
            throw in.error("expected ',' or the end of the actions");
        }
        return program;
    }

    private DpActions parseActions(int depth) {
        DpActionsBuilder b = DpActions.builder();
        while (true) {
            in.skipSpace();
            int start = in.pos();
            try {
                parseAction(b, depth);
            } catch (IllegalArgumentException e) {
                throw rethrow(e, start);
            }
            in.skipSpace();
            if (!in.tryConsume(",")) {
                break;
            }
        }
        int end = in.pos();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw rethrow(e, end);
        }
    }

    private void parseAction(DpActionsBuilder b, int depth) {
        char ch = in.peek();
        if (ch >= '0' && ch <= '9') {
            b.output((int) in.unsigned("output port", DpActions.MAX_PORT));
            return;
        }
        int wordStart = in.pos();
        String name = in.word();
        switch (name) {
            case "drop" -> b.drop();
            case "pop_vlan" -> b.popVlan();
            case "push_vlan" -> pushVlan(b);
            case "set" -> {
                in.expect("(");
                set(b);
                in.expect(")");
            }
            case "hash" -> {
                in.expect("(l4(");
                b.hash((int) in.unsigned("hash basis", 0xffffffffL));
                in.expect("))");
            }
            case "recirc" -> {
                in.expect("(");
                b.recirc((int) in.unsigned("recirc id", 0xffffffffL));
                in.expect(")");
            }
            case "clone" -> {
                in.expect("(");
                if (depth + 1 > DpActions.MAX_CLONE_DEPTH) {
                    throw in.error("clone: nested more than " + DpActions.MAX_CLONE_DEPTH + " deep");
                }
                DpActions sub = parseActions(depth + 1);
                in.expect(")");
                b.clone(sub);
            }
            case "ct" -> DpCt.parse(in, b);
            case "ct_clear" -> b.ctClear();
            case "meter" -> {
                in.expect("(");
                b.meter((int) in.unsigned("meter id", DpActions.MAX_METERS - 1));
                in.expect(")");
            }
            case "tnl_pop" -> {
                in.expect("(");
                b.tnlPop((int) in.unsigned("tnl_pop port", DpActions.MAX_PORT));
                in.expect(")");
            }
            case "tnl_push" -> {
                in.expect("(tnl_port(");
                int tnlPort = (int) in.unsigned("tnl_port", DpActions.MAX_PORT);
                in.expect("),");
                int[] type = new int[1];
                byte[] header = TnlHeader.parse(in, type);
                in.expect(",out_port(");
                int outPort = (int) in.unsigned("out_port", DpActions.MAX_PORT);
                in.expect("))");
                b.tnlPush(tnlPort, type[0], header, outPort);
            }
            default -> {
                throw in.errorAt(wordStart, name.isEmpty() ? "expected an action" : "unknown action '" + name + "'");
            }
        }
    }

    private void pushVlan(DpActionsBuilder b) {
        in.expect("(");
        int tpid = DpActions.ETH_TYPE_VLAN;
        if (in.tryConsume("tpid=")) {
            tpid = (int) in.unsigned("push_vlan tpid", 0xffff);
            in.expect(",");
        }
        in.expect("vid=");
        int vid = (int) in.unsigned("push_vlan vid", 0xfff);
        in.expect(",pcp=");
        int pcp = (int) in.unsigned("push_vlan pcp", 7);
        int cfi = 1;
        if (in.tryConsume(",cfi=")) {
            cfi = (int) in.unsigned("push_vlan cfi", 1);
        }
        in.expect(")");
        b.pushVlan(tpid, vid | pcp << 13 | (cfi != 0 ? DpActions.VLAN_CFI : 0));
    }

    /** {@code group(field,...)} inside {@code set(...)}. */
    private void set(DpActionsBuilder b) {
        int groupStart = in.pos();
        String groupName = in.word();
        DpField.Group group = null;
        for (DpField.Group g : DpField.Group.values()) {
            if (g.printName().equals(groupName)) {
                group = g;
            }
        }
        if (group == null) {
            throw in.errorAt(groupStart, "set: unknown key '" + groupName + "'");
        }
        in.expect("(");
        if (group == DpField.Group.SKB_MARK) {
            long value = in.unsigned("skb_mark", 0xffffffffL);
            long mask = in.tryConsume("/") ? in.unsigned("skb_mark mask", 0xffffffffL) : 0xffffffffL;
            b.setField(DpField.SKB_MARK, value, mask);
            in.expect(")");
            return;
        }
        boolean any = false;
        while (in.peek() != ')') {
            if (any) {
                in.expect(",");
            }
            int keyStart = in.pos();
            String key = in.word();
            if (group == DpField.Group.TUNNEL && key.equals("flags")) {
                skipFlags();
                any = true;
                continue;
            }
            in.expect("=");
            setKey(b, group, key, keyStart);
            any = true;
        }
        if (!any) {
            throw in.error("set(" + groupName + "()): no fields");
        }
        in.expect(")");
    }

    private void setKey(DpActionsBuilder b, DpField.Group group, String key, int keyStart) {
        String what = group.printName() + " " + key;
        if (group == DpField.Group.IPV6 && (key.equals("src") || key.equals("dst"))) {
            long[] v = in.ipv6(what);
            long[] m = in.tryConsume("/") ? in.ipv6(what + " mask") : new long[] {-1L, -1L};
            if (key.equals("src")) {
                b.setIpv6Src(v[0], v[1], m[0], m[1]);
            } else {
                b.setIpv6Dst(v[0], v[1], m[0], m[1]);
            }
            return;
        }
        DpField field = null;
        for (DpField f : DpField.values()) {
            if (f.group() == group && f.printName().equals(key)) {
                field = f;
            }
        }
        if (field == null) {
            throw in.errorAt(keyStart, "set(" + group.printName() + "(...)): field '" + key + "' cannot be set");
        }
        long value;
        long mask = field.fullMask();
        switch (field) {
            case ETH_SRC, ETH_DST, ARP_SHA, ARP_THA -> {
                value = in.mac(what);
                if (in.tryConsume("/")) {
                    mask = in.mac(what + " mask");
                }
            }
            case IPV4_SRC, IPV4_DST, TUN_IPV4_SRC, TUN_IPV4_DST, ARP_SIP, ARP_TIP -> {
                value = in.ipv4(what) & 0xffffffffL;
                if (in.tryConsume("/")) {
                    mask = in.ipv4(what + " mask") & 0xffffffffL;
                }
            }
            default -> {
                value = in.unsigned(what, field.fullMask());
                if (in.tryConsume("/")) {
                    mask = in.unsigned(what + " mask", field.fullMask());
                }
            }
        }
        b.setField(field, value, mask);
    }

    /** {@code flags(...)} of {@code set(tunnel(...))}: printed by OVS, implied by the fields. */
    private void skipFlags() {
        in.expect("(");
        while (in.peek() != ')') {
            if (in.atEnd()) {
                throw in.error("expected ')' after tunnel flags");
            }
            String flag = in.word();
            if (flag.isEmpty() && !in.tryConsume("|")) {
                throw in.error("expected a tunnel flag");
            }
        }
        in.expect(")");
    }

    private IllegalArgumentException rethrow(IllegalArgumentException e, int offset) {
        String message = e.getMessage();
        if (message != null && message.startsWith("dp actions: ")) {
            return e;
        }
        return in.errorAt(offset, message);
    }
}
