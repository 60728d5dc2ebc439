package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.show.DpctlFormat;
import dev.jvswitch.vswitchd.run.Switch;
import dev.jvswitch.vswitchd.slowpath.SlowPath;
import dev.jvswitch.vswitchd.slowpath.SlowPathException;

/**
 * Every command of the control socket, with OVS's names: {@code dpctl/*} and
 * {@code dpif-netdev/*} on the datapath, {@code ofctl/*}, {@code ofproto/trace}, {@code fdb/*}
 * and {@code upcall/show} through the {@link SlowPath}, and the daemon's own ({@code reload},
 * {@code exit}, {@code coverage/show}, {@code list-commands}).
 *
 * <p><b>Thread-safety:</b> a handler runs on the control thread or on the change thread, as its
 * {@link CommandKind} says; never on both at once for changes (the change thread runs them one at
 * a time).
 */
public final class SwitchCommands {
    private static final Pattern HEX_PACKET = Pattern.compile("(?i)[0-9a-f]{28,}");

    /** What the commands need from the daemon beyond the switch itself. */
    public interface Daemon {
        /** Re-reads the config file and applies it; returns the changes, or fails with the reasons. */
        List<String> reload() throws CommandException;

        /** Starts a clean shutdown once the current reply is sent. */
        void exit();

        /** Counters of the daemon itself (control socket, signals). */
        Map<String, Long> coverage();
    }

    private SwitchCommands() {
    }

    /** A registry with every command, bound to {@code sw} and {@code daemon}. */
    public static CommandRegistry create(Switch sw, Daemon daemon) {
        CommandRegistry r = new CommandRegistry();
        Datapath dp = sw.datapath();
        SlowPath sp = sw.slowPath();

        r.register("dpctl/dump-flows", "[-m]", 0, 1, "megaflows with stats, masks and actions", args -> {
            boolean verbose = !args.isEmpty();
            if (verbose && !args.get(0).equals("-m") && !args.get(0).equals("--more")) {
                throw CommandException.usage("dpctl/dump-flows: unknown option '" + args.get(0) + "' (usage: "
                        + "dpctl/dump-flows [-m])");
            }
            return Reply.of(DpctlFormat.dumpFlows(dp, verbose), ShowData.flows(dp));
        });
        r.register("dpctl/del-flows", "", 0, 0, "delete every megaflow", args ->
                Reply.text("deleted " + dp.flows().flush() + " flows"));
        r.register("dpif-netdev/pmd-stats-show", "", 0, 0, "per-PMD packet and cycle counters", args ->
                Reply.of(DpctlFormat.pmdStatsShow(dp), ShowData.pmdStats(dp)));
        r.register("dpif-netdev/pmd-stats-clear", "", 0, 0, "start the PMD counters from zero", args -> {
            for (PmdAgent pmd : dp.pmds()) {
                pmd.stats().clear();
            }
            return Reply.text("");
        });
        r.register("dpif-netdev/pmd-rxq-show", "", 0, 0, "which PMD polls which rx queue", args ->
                Reply.of(DpctlFormat.pmdRxqShow(dp), ShowData.rxqs(dp)));
        r.register("dpif-netdev/pmd-rxq-rebalance", "", 0, 0, "re-assign rx queues to PMDs by measured cycles",
                args -> {
                    dp.rebalance();
                    return Reply.text("");
                });

        r.register("ofproto/trace", "BRIDGE FLOW | BRIDGE [in_port=N] HEXPACKET", 2, Integer.MAX_VALUE,
                "show how a flow or packet would be translated", args -> {
                    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
                    String hex = HEX_PACKET.matcher(rest.get(rest.size() - 1)).matches()
                            ? rest.remove(rest.size() - 1) : null;
                    String flow = String.join(",", rest);
                    return Reply.text(slow(() -> sp.trace(args.get(0), flow, hex)));
                });
        r.register("upcall/show", "", 0, 0, "megaflow counts, limits and revalidator state", args ->
                Reply.text(sp.upcallShow()));
        r.register("fdb/show", "BRIDGE", 1, 1, "the MAC learning table of a bridge", args ->
                Reply.text(slow(() -> sp.fdbShow(args.get(0)))));
        r.register("fdb/flush", "[BRIDGE]", 0, 1, "empty the MAC learning table (of every bridge)", args -> {
            slow(() -> {
                sp.fdbFlush(args.isEmpty() ? null : args.get(0));
                return "";
            });
            return Reply.text("table successfully flushed");
        });
        r.register("ofctl/dump-flows", "BRIDGE", 1, 1, "OpenFlow flows of a bridge with their counters", args ->
                Reply.text(slow(() -> sp.dumpFlows(args.get(0)))));
        r.register("ofctl/add-flow", "BRIDGE FLOW", 2, Integer.MAX_VALUE, "add (or replace) a flow", args -> {
            String flow = String.join(" ", args.subList(1, args.size()));
            slow(() -> {
                sp.addFlow(args.get(0), flow);
                return "";
            });
            return Reply.text("");
        });
        r.register("ofctl/del-flows", "BRIDGE [MATCH]", 1, Integer.MAX_VALUE, "delete the flows MATCH selects (all)",
                args -> {
                    String match = args.size() == 1 ? null : String.join(" ", args.subList(1, args.size()));
                    int n = slow(() -> sp.delFlows(args.get(0), match));
                    return Reply.of("", Map.of("deleted", n));
                });
        r.register("ofctl/add-group", "BRIDGE GROUP", 2, Integer.MAX_VALUE, "add a group", args -> {
            String group = String.join(" ", args.subList(1, args.size()));
            slow(() -> {
                sp.addGroup(args.get(0), group);
                return "";
            });
            return Reply.text("");
        });
        r.register("ofctl/dump-groups", "BRIDGE", 1, 1, "groups of a bridge", args ->
                Reply.text(slow(() -> sp.dumpGroups(args.get(0)))));
        r.register("ofctl/dump-ports", "[BRIDGE]", 0, 1, "per-port counters", args -> {
            String bridge = args.isEmpty() ? null : args.get(0);
            if (bridge != null && !sw.config().bridges().containsKey(bridge)) {
                throw CommandException.failed("no bridge named " + bridge + " (bridges: "
                        + String.join(", ", sw.config().bridges().keySet()) + ")");
            }
            return ShowData.ports(sw, bridge);
        });

        r.register("coverage/show", "", 0, 0, "event counters of the datapath, slow path and daemon", args -> {
            Map<String, Long> all = new LinkedHashMap<>(ShowData.pmdTotals(dp));
            all.putAll(sp.coverage());
            all.putAll(sw.coverage());
            all.putAll(daemon.coverage());
            return ShowData.coverage(all);
        });
        r.register("reload", "", 0, 0, "re-read the config file and apply what changed", args -> {
            List<String> changes = daemon.reload();
            String text = changes.isEmpty() ? "reloaded " + sw.config().file() + ": nothing changed"
                    : "reloaded " + sw.config().file() + ":\n  " + String.join("\n  ", changes);
            return Reply.of(text, Map.of("changes", changes));
        });
        r.register("exit", "", 0, 0, "shut jvswitchd down cleanly", args -> {
            daemon.exit();
            return Reply.text("");
        });
        r.register("list-commands", "", 0, 0, "this list", args -> listCommands(r));
        return r;
    }

    private static Reply listCommands(CommandRegistry r) {
        StringBuilder sb = new StringBuilder("The available commands are:\n");
        List<Object> data = new ArrayList<>();
        for (CommandRegistry.Command c : r.commands()) {
            String head = c.name() + (c.usage().isEmpty() ? "" : " " + c.usage());
            sb.append(String.format("  %-48s %s%n", head, c.help()));
            data.add(Map.of("name", c.name(), "usage", c.usage(), "help", c.help()));
        }
        return Reply.of(sb.toString(), data);
    }

    /** A slow-path call whose one-line failures become command failures. */
    private interface SlowCall<T> {
        T call() throws SlowPathException;
    }

    private static <T> T slow(SlowCall<T> call) throws CommandException {
        try {
            return call.call();
        } catch (SlowPathException e) {
            throw CommandException.failed(e.getMessage());
        }
    }
}
