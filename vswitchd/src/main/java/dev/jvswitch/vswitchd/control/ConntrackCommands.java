package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.List;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtMatch;
import dev.jvswitch.conntrack.CtShow;
import dev.jvswitch.conntrack.Ipf;
import dev.jvswitch.pmd.Datapath;

/**
 * The connection tracking commands with OVS's names, arguments, replies and layouts:
 * {@code dpctl/dump-conntrack [-m] [-s] [zone=N]},
 * {@code dpctl/flush-conntrack [zone=N] [mark=X[/M]] [labels=Y[/N]] [ct-orig-tuple [ct-reply-tuple]]},
 * {@code dpctl/ct-stats-show [-m]}, {@code dpctl/ct-set-maxconns N}, {@code dpctl/ct-get-maxconns},
 * {@code dpctl/ct-get-nconns}, {@code dpctl/ct-set-limits [default=N] [zone=N,limit=N]...},
 * {@code dpctl/ct-get-limits [zone=N[,N]...]}, {@code dpctl/ct-del-limits zone=N[,N]...},
 * {@code dpctl/ct-enable-tcp-seq-chk}, {@code dpctl/ct-disable-tcp-seq-chk}, and fragment reassembly's
 * {@code dpctl/ipf-get-status}, {@code dpctl/ipf-set-enabled|disabled v4|v6},
 * {@code dpctl/ipf-set-min-frag v4|v6 N}, {@code dpctl/ipf-set-max-nfrags N}. A datapath name
 * argument ({@code netdev@ovs-netdev}) is accepted and ignored, as there is one datapath.
 *
 * <p><b>Thread-safety:</b> the handlers run where {@link CommandKind} says; the connection
 * tracker is safe for any thread.
 */
final class ConntrackCommands {
    private static final String FLUSH_USAGE = "[zone=N] [mark=X[/M]] [labels=Y[/N]] [ct-orig-tuple [ct-reply-tuple]]";

    private ConntrackCommands() {
    }

    static void register(CommandRegistry r, Datapath dp) {
        Conntrack ct = dp.conntrack();
        r.register("dpctl/dump-conntrack", "[-m] [-s] [zone=N]", 0, 4, "the connection tracking table", args -> {
            boolean verbose = false;
            boolean stats = false;
            int zone = -1;
            for (String a : withoutDp(args)) {
                if (a.equals("-m") || a.equals("--more")) {
                    verbose = true;
                } else if (a.equals("-s") || a.equals("--statistics")) {
                    stats = true;
                } else if (a.startsWith("zone=")) {
                    zone = number("dpctl/dump-conntrack", "zone", a.substring(5), 65535);
                } else {
                    throw CommandException.usage("dpctl/dump-conntrack: unknown argument '" + a
                            + "' (usage: dpctl/dump-conntrack [-m] [-s] [zone=N])");
                }
            }
            return Reply.text(CtShow.dump(ct, zone, verbose, stats, dp.nowMs()));
        });
        r.register("dpctl/flush-conntrack", FLUSH_USAGE, 0, 6,
                "delete connections (of one zone, or those the tuples, mark and labels name)",
                args -> flush(ct, dp, withoutDp(args)));
        r.register("dpctl/ct-stats-show", "[-m] [zone=N]", 0, 3, "connections per protocol", args -> {
            boolean verbose = false;
            for (String a : withoutDp(args)) {
                if (a.equals("-m") || a.equals("--more")) {
                    verbose = true;
                } else {
                    throw CommandException.usage("dpctl/ct-stats-show: unknown argument '" + a
                            + "' (usage: dpctl/ct-stats-show [-m])");
                }
            }
            return Reply.text(CtShow.stats(ct, verbose, dp.nowMs()));
        });
        r.register("dpctl/ct-set-maxconns", "N", 1, 2, "the most connections the table holds", args -> {
            List<String> a = withoutDp(args);
            if (a.size() != 1) {
                throw CommandException.usage("dpctl/ct-set-maxconns: usage: dpctl/ct-set-maxconns N");
            }
            ct.config().maxConns(number("dpctl/ct-set-maxconns", "maxconns", a.get(0), Integer.MAX_VALUE));
            return Reply.text("setting maxconns successful");
        });
        r.register("dpctl/ct-get-maxconns", "", 0, 1, "the most connections the table holds", args ->
                Reply.text(Integer.toString(ct.config().maxConns())));
        r.register("dpctl/ct-get-nconns", "", 0, 1, "how many connections the table holds", args ->
                Reply.text(Integer.toString(ct.connectionCount())));
        r.register("dpctl/ct-set-limits", "[default=N] [zone=N,limit=N]...", 1, Integer.MAX_VALUE,
                "connection limits of zones", args -> {
                    for (String a : withoutDp(args)) {
                        if (a.startsWith("default=")) {
                            ct.setLimit(-1, number("dpctl/ct-set-limits", "default limit", a.substring(8),
                                    Integer.MAX_VALUE));
                        } else if (a.matches("zone=\\d+,limit=\\d+")) {
                            String[] kv = a.split(",");
                            ct.setLimit(number("dpctl/ct-set-limits", "zone", kv[0].substring(5), 65535),
                                    number("dpctl/ct-set-limits", "limit", kv[1].substring(6), Integer.MAX_VALUE));
                        } else {
                            throw CommandException.usage("dpctl/ct-set-limits: failed to parse zone limit '" + a
                                    + "' (expected default=N or zone=N,limit=N)");
                        }
                    }
                    return Reply.text("");
                });
        r.register("dpctl/ct-get-limits", "[zone=N[,N]...]", 0, 2, "connection limits of zones", args ->
                Reply.text(CtShow.limits(ct, zones("dpctl/ct-get-limits", withoutDp(args), false))));
        r.register("dpctl/ct-del-limits", "zone=N[,N]...", 1, 2, "make zones use the default limit", args -> {
            for (int z : zones("dpctl/ct-del-limits", withoutDp(args), true)) {
                ct.deleteLimit(z);
            }
            return Reply.text("");
        });
        r.register("dpctl/ct-enable-tcp-seq-chk", "", 0, 1, "check TCP sequence numbers (the default)", args -> {
            ct.config().tcpSeqChk(true);
            return Reply.text("enabling TCP sequence checking successful");
        });
        r.register("dpctl/ct-disable-tcp-seq-chk", "", 0, 1, "accept TCP segments outside the window", args -> {
            ct.config().tcpSeqChk(false);
            return Reply.text("disabling TCP sequence checking successful");
        });
        registerIpf(r, ct.ipf());
    }

    private static void registerIpf(CommandRegistry r, Ipf ipf) {
        r.register("dpctl/ipf-get-status", "[-m]", 0, 2, "IP fragment reassembly settings and counters", args -> {
            boolean verbose = false;
            for (String a : withoutDp(args)) {
                if (!a.equals("-m") && !a.equals("--more")) {
                    throw CommandException.usage("dpctl/ipf-get-status: unknown argument '" + a
                            + "' (usage: dpctl/ipf-get-status [-m])");
                }
                verbose = true;
            }
            return Reply.text(ipf.status(verbose));
        });
        for (boolean on : new boolean[] {true, false}) {
            String cmd = "dpctl/ipf-set-" + (on ? "enabled" : "disabled");
            r.register(cmd, "v4|v6", 1, 2, (on ? "enable" : "disable") + " IP fragment reassembly", args -> {
                List<String> a = withoutDp(args);
                if (a.size() != 1 || !a.get(0).equals("v4") && !a.get(0).equals("v6")) {
                    throw CommandException.usage(cmd + ": parameter missing: 'v4' for IPv4 or 'v6' for IPv6");
                }
                ipf.enabled(a.get(0).equals("v6"), on);
                return Reply.text((on ? "enabling" : "disabling") + " fragmentation reassembly successful");
            });
        }
        r.register("dpctl/ipf-set-min-frag", "v4|v6 N", 2, 3, "smallest fragment (but the last) reassembled", args -> {
            List<String> a = withoutDp(args);
            if (a.size() != 2 || !a.get(0).equals("v4") && !a.get(0).equals("v6")) {
                throw CommandException.usage("dpctl/ipf-set-min-frag: parameter missing: v4 for IPv4 or v6 for IPv6");
            }
            int n = number("dpctl/ipf-set-min-frag", "minimum fragment size", a.get(1), 65535);
            if (n < Ipf.MIN_FRAG_LBOUND) {
                throw CommandException.usage("dpctl/ipf-set-min-frag: requested minimum fragment size too small ("
                        + n + " < " + Ipf.MIN_FRAG_LBOUND + ")");
            }
            ipf.minFragSize(a.get(0).equals("v6"), n);
            return Reply.text("setting minimum fragment size successful");
        });
        r.register("dpctl/ipf-set-max-nfrags", "N", 1, 2, "most fragments held for reassembly", args -> {
            List<String> a = withoutDp(args);
            if (a.size() != 1) {
                throw CommandException.usage("dpctl/ipf-set-max-nfrags: parameter missing for maximum fragments");
            }
            ipf.maxFrags(number("dpctl/ipf-set-max-nfrags", "maximum fragments", a.get(0), Ipf.MAX_FRAGS_BOUND));
            return Reply.text("setting maximum fragments successful");
        });
    }

    /**
     * OVS 3.x's {@code flush-conntrack}: nothing named flushes a zone or everything; a whole
     * original 5-tuple alone flushes that one connection (an error when there is none, as OVS);
     * anything else (partial tuples, a reply tuple, mark, labels) flushes every connection it
     * names, in the zone if one is given. {@code zone=}, {@code mark=} and {@code labels=} may
     * come in any order; the other arguments are the original tuple, then the reply tuple (an
     * empty original tuple leaves it out).
     */
    private static Reply flush(Conntrack ct, Datapath dp, List<String> args) throws CommandException {
        int zone = -1;
        String mark = null;
        String labels = null;
        List<String> tuples = new ArrayList<>(2);
        for (String a : args) {
            if (a.startsWith("zone=")) {
                zone = number("dpctl/flush-conntrack", "zone", a.substring(5), 65535);
            } else if (a.startsWith("mark=")) {
                mark = a.substring(5);
            } else if (a.startsWith("labels=")) {
                labels = a.substring(7);
            } else if (tuples.size() < 2) {
                tuples.add(a);
            } else {
                throw CommandException.usage("dpctl/flush-conntrack: invalid arguments (usage: dpctl/flush-conntrack "
                        + FLUSH_USAGE + ")");
            }
        }
        CtMatch match;
        try {
            match = CtMatch.parse(tuples.isEmpty() ? null : tuples.get(0), tuples.size() < 2 ? null : tuples.get(1),
                    mark, labels);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("dpctl/flush-conntrack: " + e.getMessage());
        }
        if (ct.flush(match, zone, dp.nowMs()) == 0 && match.fiveTuple(0) != null) {
            throw CommandException.failed("dpctl/flush-conntrack: failed to flush conntrack (No such file or"
                    + " directory): no connection has the original tuple " + tuples.get(0));
        }
        return Reply.text("");
    }

    /** The arguments without a leading datapath name ({@code netdev@ovs-netdev}, {@code ovs-netdev}). */
    private static List<String> withoutDp(List<String> args) {
        List<String> out = new ArrayList<>(args);
        if (!out.isEmpty() && (out.get(0).contains("@") || out.get(0).equals("ovs-netdev"))) {
            out.remove(0);
        }
        return out;
    }

    private static List<Integer> zones(String cmd, List<String> args, boolean required) throws CommandException {
        List<Integer> out = new ArrayList<>();
        if (args.isEmpty()) {
            if (required) {
                throw CommandException.usage(cmd + ": usage: " + cmd + " zone=N[,N]...");
            }
            return out;
        }
        if (args.size() != 1 || !args.get(0).startsWith("zone=")) {
            throw CommandException.usage(cmd + ": invalid argument '" + String.join(" ", args)
                    + "' (expected zone=N[,N]...)");
        }
        for (String z : args.get(0).substring(5).split(",")) {
            out.add(number(cmd, "zone", z, 65535));
        }
        return out;
    }

    private static int number(String cmd, String what, String text, int max) throws CommandException {
        try {
            long v = Long.parseLong(text);
            if (v < 0 || v > max) {
                throw CommandException.usage(cmd + ": " + what + " " + text + " out of range 0.." + max);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw CommandException.usage(cmd + ": " + what + " missing or malformed: '" + text + "'");
        }
    }
}
