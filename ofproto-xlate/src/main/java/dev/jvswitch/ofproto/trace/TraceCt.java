package dev.jvswitch.ofproto.trace;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;

/**
 * How a trace goes on after {@code ct(table=N)}: the recirculated packet is tracked in the ct
 * action's zone with the next state given by {@code --ct-next} ({@code trk,est}), or with OVS's
 * default {@code trk|new}, and the pass is titled as OVS titles it.
 */
final class TraceCt {
    private static final int DEFAULT_STATE = 0x21;

    private TraceCt() {
    }

    /** Sets {@code next}'s ct_state and ct_zone; returns the title's suffix. */
    static String resume(FlowKey next, int zone, Deque<Integer> ctNext) {
        next.set(FlowField.CT_ZONE, zone);
        if (ctNext == null || ctNext.isEmpty()) {
            next.set(FlowField.CT_STATE, DEFAULT_STATE);
            return " - resume conntrack with default ct_state=trk|new (use --ct-next to customize)";
        }
        int state = ctNext.poll();
        next.set(FlowField.CT_STATE, state);
        StringBuilder sb = new StringBuilder(" - resume conntrack with ct_state=");
        FieldFormat.CT_STATE.append(sb, state);
        return sb.toString();
    }

    /**
     * Parses one {@code --ct-next} value: flag names separated by commas, {@code |} or {@code +}
     * ({@code trk,est}).
     *
     * @throws IllegalArgumentException naming an unknown flag
     */
    static int parseState(String text) {
        int state = 0;
        for (String name : text.split("[,|+]")) {
            if (name.isEmpty()) {
                continue;
            }
            int bit = FieldFormat.CT_STATE.flagBit(name);
            if (bit < 0) {
                throw new IllegalArgumentException("--ct-next: unknown ct_state flag '" + name + "'");
            }
            state |= 1 << bit;
        }
        return state;
    }

    /** The states of every {@code --ct-next} value, in order. */
    static List<Integer> parseAll(List<String> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(parseState(v));
        }
        return out;
    }
}
