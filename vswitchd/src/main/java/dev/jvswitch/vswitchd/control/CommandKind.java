package dev.jvswitch.vswitchd.control;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where a control command runs, so that one long change never freezes the control thread.
 *
 * <ul>
 *   <li>{@link #INLINE}: on the control thread, at once. These read counters or datapath state,
 *       or ask for shutdown, and never wait on anything a change holds for long.</li>
 *   <li>{@link #CHANGE}: on the change agent's thread, one at a time, in the order they came
 *       (reload and every command that edits tables, ports or the datapath's flows). A change
 *       may take long (a reload of a million rules); the control thread keeps answering inline
 *       commands, polling links and honouring SIGTERM meanwhile.</li>
 *   <li>{@link #TABLE_READ}: reads the OpenFlow tables, whose lock a change holds while it edits
 *       them. Inline when no change is queued or running; otherwise queued behind the changes,
 *       so it answers once they are done (and shows their result) without blocking the control
 *       thread.</li>
 * </ul>
 *
 * A command not listed here is a {@link #CHANGE}: the safe default for a command whose cost is
 * unknown.
 */
public enum CommandKind {
    INLINE, CHANGE, TABLE_READ;

    private static final Map<String, CommandKind> KINDS = Map.ofEntries(
            Map.entry("list-commands", INLINE),
            Map.entry("coverage/show", INLINE),
            Map.entry("exit", INLINE),
            Map.entry("dpctl/dump-flows", INLINE),
            Map.entry("dpif-netdev/pmd-stats-show", INLINE),
            Map.entry("dpif-netdev/pmd-stats-clear", INLINE),
            Map.entry("dpif-netdev/pmd-rxq-show", INLINE),
            Map.entry("upcall/show", INLINE),
            Map.entry("ofctl/dump-ports", INLINE),
            Map.entry("ofctl/show", INLINE),
            Map.entry("ofconn/show", INLINE),
            Map.entry("ofctl/dump-flows", TABLE_READ),
            Map.entry("ofctl/dump-groups", TABLE_READ),
            Map.entry("ofctl/dump-meters", TABLE_READ),
            Map.entry("ofctl/meter-stats", TABLE_READ),
            Map.entry("ofproto/trace", TABLE_READ),
            Map.entry("fdb/show", TABLE_READ),
            Map.entry("bond/show", INLINE),
            Map.entry("bond/hash", INLINE),
            Map.entry("bond/migrate", CHANGE),
            Map.entry("tnl/ports/show", INLINE),
            Map.entry("tnl/neigh/show", INLINE),
            Map.entry("ofctl/dump-tlv-map", INLINE),
            Map.entry("ofctl/add-tlv-map", CHANGE),
            Map.entry("ofctl/del-tlv-map", CHANGE),
            Map.entry("ovs/route/show", INLINE),
            Map.entry("tnl/neigh/flush", CHANGE),
            Map.entry("tnl/neigh/set", CHANGE),
            Map.entry("ovs/route/add", CHANGE),
            Map.entry("ovs/route/del", CHANGE),
            Map.entry("reload", CHANGE),
            Map.entry("revalidator/wait", CHANGE),
            Map.entry("ofctl/add-flow", CHANGE),
            Map.entry("ofctl/del-flows", CHANGE),
            Map.entry("ofctl/add-group", CHANGE),
            Map.entry("ofctl/add-meter", CHANGE),
            Map.entry("ofctl/mod-meter", CHANGE),
            Map.entry("ofctl/del-meters", CHANGE),
            Map.entry("fdb/flush", CHANGE),
            Map.entry("dpctl/del-flows", CHANGE),
            Map.entry("dpif-netdev/pmd-rxq-rebalance", CHANGE),
            Map.entry("dpctl/dump-conntrack", INLINE),
            Map.entry("dpctl/ct-stats-show", INLINE),
            Map.entry("dpctl/ct-get-maxconns", INLINE),
            Map.entry("dpctl/ct-get-nconns", INLINE),
            Map.entry("dpctl/ct-get-limits", INLINE),
            Map.entry("dpctl/ct-set-maxconns", INLINE),
            Map.entry("dpctl/ct-set-limits", INLINE),
            Map.entry("dpctl/ct-del-limits", INLINE),
            Map.entry("dpctl/ct-enable-tcp-seq-chk", INLINE),
            Map.entry("dpctl/ct-disable-tcp-seq-chk", INLINE),
            Map.entry("dpctl/flush-conntrack", CHANGE),
            Map.entry("dpctl/ipf-get-status", INLINE),
            Map.entry("dpctl/ipf-set-enabled", INLINE),
            Map.entry("dpctl/ipf-set-disabled", INLINE),
            Map.entry("dpctl/ipf-set-min-frag", INLINE),
            Map.entry("dpctl/ipf-set-max-nfrags", INLINE),
            // Operations: log levels (vlog/*) are inline.
            Map.entry("vlog/list", INLINE),
            Map.entry("vlog/set", INLINE),
            Map.entry("vlog/reopen", INLINE),
            Map.entry("vlog/enable-rate-limit", INLINE),
            Map.entry("vlog/disable-rate-limit", INLINE),
            // Mirrors: start waits for the file to open, so it is a change; show is inline.
            Map.entry("mirror/start", CHANGE),
            Map.entry("mirror/stop", CHANGE),
            Map.entry("mirror/show", INLINE));

    /** The kind of command {@code name}; {@link #CHANGE} for one not listed. */
    public static CommandKind of(String name) {
        return KINDS.getOrDefault(name, CHANGE);
    }

    /** Every listed command, sorted: jvsctl's help and completion without a running daemon. */
    public static SortedSet<String> names() {
        return new TreeSet<>(KINDS.keySet());
    }

    /** Whether {@code name} is listed (a test checks that every registered command is). */
    public static boolean listed(String name) {
        return KINDS.containsKey(name);
    }
}
