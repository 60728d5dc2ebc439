package dev.jvswitch.vswitchd.control;

import java.util.List;

import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.meter.MeterStats;
import dev.jvswitch.ofproto.mod.MeterMod;
import dev.jvswitch.ofproto.syntax.MeterSyntax;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * The meter commands, with {@code ovs-ofctl}'s names, arguments and text:
 * {@code ofctl/add-meter BRIDGE METER}, {@code ofctl/mod-meter BRIDGE METER},
 * {@code ofctl/del-meters BRIDGE [meter=N]} (all without one), {@code ofctl/dump-meters BRIDGE
 * [meter=N]} and {@code ofctl/meter-stats BRIDGE [meter=N]}, METER as
 * {@code meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5}. A change answers
 * nothing, as {@code ovs-ofctl} prints nothing; a refused one says why (OVS's error names the
 * meter mod failure) and changes nothing. Deleting a meter deletes the flows that use it.
 *
 * <p><b>Thread-safety:</b> the handlers run where {@link CommandKind} says.
 */
final class MeterCommands {
    private MeterCommands() {
    }

    static void register(CommandRegistry r, OfprotoService sp) {
        r.register("ofctl/add-meter", "BRIDGE METER", 2, Integer.MAX_VALUE, "add a meter", args ->
                change(sp, args, "ofctl/add-meter", MeterSyntax::parseAdd));
        r.register("ofctl/mod-meter", "BRIDGE METER", 2, Integer.MAX_VALUE, "replace a meter", args ->
                change(sp, args, "ofctl/mod-meter", MeterSyntax::parseModify));
        r.register("ofctl/del-meters", "BRIDGE [METER]", 1, Integer.MAX_VALUE,
                "delete a meter (all) and the flows using it", args ->
                        change(sp, args, "ofctl/del-meters", MeterSyntax::parseDelete));
        r.register("ofctl/dump-meters", "BRIDGE [METER]", 1, Integer.MAX_VALUE, "meters of a bridge", args -> {
            long id = SwitchCommands.ofproto(() -> MeterSyntax.parseSelection(rest(args)));
            StringBuilder sb = new StringBuilder();
            for (MeterEntry m : SwitchCommands.ofproto(() -> sp.meters(args.get(0)))) {
                if (id == dev.jvswitch.ofproto.meter.Meter.ALL || m.meterId() == id) {
                    sb.append(MeterSyntax.format(m.config())).append('\n');
                }
            }
            return Reply.text(sb.toString());
        });
        r.register("ofctl/meter-stats", "BRIDGE [METER]", 1, Integer.MAX_VALUE, "meter counters of a bridge", args -> {
            long id = SwitchCommands.ofproto(() -> MeterSyntax.parseSelection(rest(args)));
            StringBuilder sb = new StringBuilder();
            for (MeterStats s : SwitchCommands.ofproto(() -> sp.meterStats(args.get(0), id))) {
                sb.append(MeterSyntax.formatStats(s)).append('\n');
            }
            return Reply.text(sb.toString());
        });
    }

    private static String rest(List<String> args) {
        return String.join(" ", args.subList(1, args.size()));
    }

    private interface Parser {
        MeterMod parse(String text);
    }

    private static Reply change(OfprotoService sp, List<String> args, String what, Parser parser)
            throws CommandException {
        SwitchCommands.ofproto(() -> {
            sp.checkBridge(args.get(0));
            return sp.apply(args.get(0), List.of(parser.parse(rest(args))), what);
        });
        return Reply.text("");
    }
}
