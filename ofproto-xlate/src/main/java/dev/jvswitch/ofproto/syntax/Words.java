package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * The names flow text is made of — the keywords of a flow string, the match fields and the action
 * names — looked up in place: {@link #of} gives the constant for a known name, so parsing a line
 * does not cut a new string out of it for each name (a config file has a million lines of
 * them). A name it does not know is cut out as usual.
 *
 * <p><b>Thread-safety:</b> immutable once the class is initialised.
 */
final class Words {
    private static final String[] TABLE;
    private static final int MASK;

    static {
        List<String> words = new ArrayList<>(MatchSyntax.keywords());
        for (String w : new String[] {
            // flow strings
            "table", "priority", "idle_timeout", "hard_timeout", "cookie", "out_port", "out_group", "actions", "action",
            "duration", "n_packets", "n_bytes", "idle_age", "hard_age", "send_flow_rem", "check_overlap",
            "reset_counts", "no_packet_counts", "no_byte_counts",
            // actions and instructions
            "clear_actions", "write_actions", "write_metadata", "goto_table", "drop", "output", "normal", "flood",
            "all", "local", "controller", "mod_vlan_vid", "mod_vlan_pcp", "strip_vlan", "pop_vlan", "push_vlan",
            "mod_dl_src", "mod_dl_dst", "mod_nw_src", "mod_nw_dst", "mod_nw_tos", "mod_nw_ttl", "dec_ttl",
            "mod_tp_src", "mod_tp_dst", "set_field", "load", "move", "resubmit", "group", "set_tunnel",
            "set_tunnel64", "note", "conjunction", "multipath", "clone", "push", "pop", "bundle", "bundle_load",
            // groups
            "group_id", "type", "bucket", "weight", "watch_port", "watch_group", "selection_method", "fields"}) {
            words.add(w);
        }
        int size = Integer.highestOneBit(words.size() * 4 - 1) << 1;
        TABLE = new String[size];
        MASK = size - 1;
        for (String w : words) {
            int i = hash(w, 0, w.length()) & MASK;
            while (TABLE[i] != null && !TABLE[i].equals(w)) {
                i = (i + 1) & MASK;
            }
            TABLE[i] = w;
        }
    }

    private Words() {
    }

    /** {@code s[from, to)}: the known name's constant if it is one, else a new string. */
    static String of(String s, int from, int to) {
        int len = to - from;
        for (int i = hash(s, from, to) & MASK; TABLE[i] != null; i = (i + 1) & MASK) {
            String w = TABLE[i];
            if (w.length() == len && s.regionMatches(from, w, 0, len)) {
                return w;
            }
        }
        return s.substring(from, to);
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ h >>> 16;
    }
}
