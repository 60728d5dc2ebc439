package dev.jvswitch.testkit.ovs;

import java.util.ArrayList;
import java.util.List;

/**
 * A known, explained difference between OVS's trace and jvswitch's, written in a case's
 * {@code [deviations]} section as an exact rewrite of OVS's side:
 *
 * <pre>
 * PACKET megaflow OVS-ITEMS =&gt; JVS-ITEMS -- REASON
 * PACKET actions OVS-TEXT =&gt; JVS-TEXT -- REASON
 * </pre>
 *
 * {@code PACKET} is a packet's name, or {@code *} for every packet it applies to. For a
 * megaflow, the items are comma-separated {@code field=value} or bare words, or {@code -} for
 * none: every OVS item must be in OVS's megaflow with that meaning; they are taken out and the
 * jvswitch items put in, and the result must then equal jvswitch's megaflow. For actions, OVS's
 * whole {@code Datapath actions:} text must be {@code OVS-TEXT} and becomes {@code JVS-TEXT}. The
 * reason is required: a deviation documents why.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param packet the packet's name or {@link #EVERY_PACKET}
 * @param kind   what it rewrites
 * @param ovs    OVS's side as written
 * @param jvs    jvswitch's side as written
 * @param reason why they differ
 * @param line   line in the case file
 */
public record Deviation(String packet, Kind kind, String ovs, String jvs, String reason, int line) {
    public static final String EVERY_PACKET = "*";

    public enum Kind { MEGAFLOW, ACTIONS }

    /** Parses one line of {@code [deviations]}. */
    public static Deviation parse(String t, int line) {
        int dash = t.indexOf(" -- ");
        if (dash < 0 || t.substring(dash + 4).isBlank()) {
            throw new IllegalArgumentException("a deviation needs its reason after ' -- '");
        }
        String reason = t.substring(dash + 4).trim();
        String[] head = t.substring(0, dash).trim().split("\\s+", 3);
        if (head.length < 3) {
            throw new IllegalArgumentException("expected PACKET megaflow|actions OVS => JVS -- REASON");
        }
        Kind kind = switch (head[1]) {
            case "megaflow" -> Kind.MEGAFLOW;
            case "actions" -> Kind.ACTIONS;
            default -> throw new IllegalArgumentException("deviation of what? '" + head[1] + "' (megaflow, actions)");
        };
        int arrow = head[2].indexOf("=>");
        if (arrow < 0) {
            throw new IllegalArgumentException("expected OVS => JVS");
        }
        String ovs = head[2].substring(0, arrow).trim();
        String jvs = head[2].substring(arrow + 2).trim();
        if (ovs.isEmpty() || jvs.isEmpty()) {
            throw new IllegalArgumentException("both sides of => are needed ('-' for none)");
        }
        Deviation d = new Deviation(head[0], kind, ovs, jvs, reason, line);
        if (kind == Kind.MEGAFLOW) {
            d.items(ovs);
            d.items(jvs);
        }
        return d;
    }

    /** OVS's megaflow as jvswitch's should be under this deviation. */
    MegaflowMatch applyTo(MegaflowMatch ovsMegaflow) {
        return ovsMegaflow.replace(items(ovs), items(jvs));
    }

    private List<MegaflowMatch.Item> items(String side) {
        List<MegaflowMatch.Item> out = new ArrayList<>();
        if (side.equals("-")) {
            return out;
        }
        for (String t : side.split(",")) {
            if (!t.isBlank()) {
                out.add(MegaflowMatch.item(t.trim()));
            }
        }
        return out;
    }
}
