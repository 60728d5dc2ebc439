package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.jvswitch.ofproto.trace.PacketHex;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.group.Group;
import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.FlowStats;
import dev.jvswitch.ofproto.revalidate.UpcallShow;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.trace.Trace;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.PmdAgent;
import dev.jvswitch.pmd.show.DpctlFormat;
import dev.jvswitch.vswitchd.ofproto.FdbFormat;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;
import dev.jvswitch.vswitchd.run.Switch;

/**
 * Every command of the control socket, with OVS's names: {@code dpctl/*} and
 * {@code dpif-netdev/*} on the datapath, {@code ofctl/*}, {@code ofproto/trace}, {@code fdb/*}
 * and {@code upcall/show} through the {@link OfprotoService}, the tunnel commands
 * ({@code tnl/*}, {@code ovs/route/*}: {@link TunnelCommands}), and the daemon's own
 * ({@code reload}, {@code exit}, {@code coverage/show}, {@code list-commands}). The ofproto
 * commands are the text edge: they parse ovs-ofctl text into the flow-mod model (after checking
 * the bridge, so a wrong bridge is reported first) and print the models the service returns.
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
        OfprotoService sp = sw.ofproto();

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

        r.register("ofproto/trace", "BRIDGE FLOW | BRIDGE [in_port=N] HEXPACKET [--ct-next STATE]...", 2,
                Integer.MAX_VALUE, "show how a flow or packet would be translated", allArgs -> {
                    List<String> ctNext = new ArrayList<>();
                    List<String> args = new ArrayList<>();
                    for (int i = 0; i < allArgs.size(); i++) {
                        if (allArgs.get(i).equals("--ct-next") && i + 1 < allArgs.size()) {
                            ctNext.add(allArgs.get(++i));
                        } else {
                            args.add(allArgs.get(i));
                        }
                    }
                    if (args.size() < 2) {
                        throw CommandException.usage("ofproto/trace: usage: ofproto/trace BRIDGE FLOW [--ct-next STATE]");
                    }
                    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
                    String hex = HEX_PACKET.matcher(rest.get(rest.size() - 1)).matches()
                            ? rest.remove(rest.size() - 1) : null;
                    String flow = String.join(",", rest);
                    return Reply.text(ofproto(() -> {
                        sp.checkBridge(args.get(0));
                        FlowKey key = Trace.parseFlow(flow, tlvMap(sp, args.get(0)));
                        return sp.trace(args.get(0), key, hex == null ? null : PacketHex.parse(hex), ctNext);
                    }));
                });
        r.register("upcall/show", "", 0, 0, "megaflow counts, limits and revalidator state", args ->
                Reply.text(UpcallShow.format(sp.upcalls())));
        // As OVS's: what a script runs after ovs-ofctl when it needs the datapath itself updated
        // (an OpenFlow barrier is answered once the tables are).
        r.register("revalidator/wait", "", 0, 0, "wait until the datapath forwards by the tables as they are now",
                args -> {
                    if (!sp.awaitForwarding()) {
                        throw CommandException.failed("revalidator/wait: the datapath did not confirm within "
                                + OfprotoService.BARRIER_TIMEOUT_S + " s that it forwards by the tables");
                    }
                    return Reply.text("");
                });
        r.register("fdb/show", "BRIDGE", 1, 1, "the MAC learning table of a bridge", args ->
                Reply.text(FdbFormat.show(ofproto(() -> sp.fdb(args.get(0))))));
        r.register("fdb/flush", "[BRIDGE]", 0, 1, "empty the MAC learning table (of every bridge)", args -> {
            ofproto(() -> {
                sp.fdbFlush(args.isEmpty() ? null : args.get(0));
                return "";
            });
            return Reply.text("table successfully flushed");
        });
        r.register("ofctl/dump-flows", "BRIDGE", 1, 1, "OpenFlow flows of a bridge with their counters", args -> {
            StringBuilder sb = new StringBuilder();
            TlvMap map = ofproto(() -> tlvMap(sp, args.get(0)));
            for (FlowStats fs : ofproto(() -> sp.flowStats(args.get(0)))) {
                sb.append(' ').append(FlowSyntax.dumpFlow(fs, map)).append('\n');
            }
            return Reply.text(sb.toString());
        });
        r.register("ofctl/add-flow", "BRIDGE FLOW", 2, Integer.MAX_VALUE, "add (or replace) a flow", args -> {
            String flow = String.join(" ", args.subList(1, args.size()));
            ofproto(() -> {
                sp.checkBridge(args.get(0));
                return sp.apply(args.get(0), List.of(FlowSyntax.parseAdd(flow, tlvMap(sp, args.get(0)))),
                        "ofctl/add-flow");
            });
            return Reply.text("");
        });
        r.register("ofctl/del-flows", "BRIDGE [MATCH]", 1, Integer.MAX_VALUE, "delete the flows MATCH selects (all)",
                args -> {
                    String match = args.size() == 1 ? null : String.join(" ", args.subList(1, args.size()));
                    int n = ofproto(() -> {
                        sp.checkBridge(args.get(0));
                        FlowMod del = match == null ? FlowMod.deleteAll()
                                : FlowSyntax.parse(match, FlowMod.Command.DELETE, tlvMap(sp, args.get(0)));
                        return sp.apply(args.get(0), List.of(del), "ofctl/del-flows").flowsDeleted();
                    });
                    return Reply.of("", Map.of("deleted", n));
                });
        r.register("ofctl/add-group", "BRIDGE GROUP", 2, Integer.MAX_VALUE, "add a group", args -> {
            String group = String.join(" ", args.subList(1, args.size()));
            ofproto(() -> {
                sp.checkBridge(args.get(0));
                return sp.apply(args.get(0), List.of(GroupSyntax.parseAdd(group)), "ofctl/add-group");
            });
            return Reply.text("");
        });
        r.register("ofctl/dump-groups", "BRIDGE", 1, 1, "groups of a bridge", args -> {
            StringBuilder sb = new StringBuilder();
            for (Group g : ofproto(() -> sp.groups(args.get(0)))) {
                sb.append(' ').append(GroupSyntax.format(g)).append('\n');
            }
            return Reply.text(sb.toString());
        });
        MeterCommands.register(r, sp);
        r.register("ofctl/dump-ports", "[BRIDGE]", 0, 1, "per-port counters", args -> {
            String bridge = args.isEmpty() ? null : args.get(0);
            if (bridge != null && !sw.config().bridges().containsKey(bridge)) {
                throw CommandException.failed("no bridge named " + bridge + " (bridges: "
                        + String.join(", ", sw.config().bridges().keySet()) + ")");
            }
            return ShowData.ports(sw, bridge);
        });

        r.register("ofconn/show", "[BRIDGE]", 0, 1, "OpenFlow connections: targets, state, role, version, counters",
                args -> {
                    String bridge = args.isEmpty() ? null : args.get(0);
                    if (bridge != null && !sw.config().bridges().containsKey(bridge)) {
                        throw CommandException.failed("no bridge named " + bridge + " (bridges: "
                                + String.join(", ", sw.config().bridges().keySet()) + ")");
                    }
                    List<String> lines = sw.openflow().show(bridge);
                    if (lines.isEmpty()) {
                        lines = List.of(bridge == null ? "no bridge has an OpenFlow channel"
                                : "bridge " + bridge + " has no OpenFlow channel (no controller or listen)");
                    }
                    return Reply.text(String.join("\n", lines));
                });
        r.register("ofctl/show", "BRIDGE", 1, 1, "features and ports as ovs-ofctl show prints them", args -> {
            String bridge = args.get(0);
            var backend = sw.backend(bridge);
            if (backend == null) {
                throw CommandException.failed("no bridge named " + bridge + " (bridges: "
                        + String.join(", ", sw.config().bridges().keySet()) + ")");
            }
            return Reply.text(String.join("\n", OfctlShow.lines(backend,
                    sw.config().bridges().get(bridge).openflow())));
        });

        TunnelCommands.register(r, sp);
        TlvCommands.register(r, sp);
        BondCommands.register(r, sp);
        ConntrackCommands.register(r, dp);

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

    /**
     * An ofproto call, with the parsing of its text, whose one-line failures (the service's, and
     * the syntax errors of the text) become command failures.
     */
    interface OfprotoCall<T> {
        T call() throws OfprotoException;
    }

    /** The bridge's TLV map: the flow text reads and prints {@code tun_metadataN} through it, as ovs-ofctl. */
    private static TlvMap tlvMap(OfprotoService sp, String bridge) throws OfprotoException {
        return sp.tunnels().tlvMaps().get(bridge);
    }

    static <T> T ofproto(OfprotoCall<T> call) throws CommandException {
        try {
            return call.call();
        } catch (OfprotoException | IllegalArgumentException e) {
            throw CommandException.failed(e.getMessage());
        }
    }
}
