package dev.jvswitch.vswitchd.control;

import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.tnl.TlvMaps;
import dev.jvswitch.ofproto.tnl.TlvUse;
import dev.jvswitch.vswitchd.ofproto.OfprotoException;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * The TLV map commands, with {@code ovs-ofctl}'s names, arguments and layouts:
 * {@code ofctl/add-tlv-map BRIDGE "{class=0xffff,type=0,len=4}->tun_metadata0[,...]"},
 * {@code ofctl/del-tlv-map BRIDGE [MAPPINGS]} (all of them without MAPPINGS) and
 * {@code ofctl/dump-tlv-map BRIDGE}. A change answers nothing, as {@code ovs-ofctl} prints
 * nothing; a refused one names the mapping and why, and changes nothing. Maps last until the
 * daemon stops (a reload keeps them), as OVS keeps them until its restart.
 *
 * <p><b>Thread-safety:</b> the handlers run where {@link CommandKind} says; {@link TlvMaps} is
 * safe for any thread.
 */
final class TlvCommands {
    private TlvCommands() {
    }

    static void register(CommandRegistry r, OfprotoService sp) {
        r.register("ofctl/add-tlv-map", "BRIDGE MAPPINGS", 2, 2, "map Geneve options to tun_metadataN", args -> {
            TlvMaps maps = maps(sp, args.get(0));
            try {
                java.util.List<TlvMap.Mapping> added = TlvMap.parse(args.get(1));
                TlvMap before = maps.get(args.get(0));
                refuse("ofctl/add-tlv-map", TlvUse.change(sp.flowStats(args.get(0)), before, before.add(added)));
                maps.add(args.get(0), added);
            } catch (IllegalArgumentException | OfprotoException e) {
                throw CommandException.failed("ofctl/add-tlv-map: " + e.getMessage());
            }
            return Reply.text("");
        });
        r.register("ofctl/del-tlv-map", "BRIDGE [MAPPINGS]", 1, 2, "remove Geneve option mappings (all without MAPPINGS)",
                args -> {
                    TlvMaps maps = maps(sp, args.get(0));
                    try {
                        java.util.List<TlvMap.Mapping> gone = args.size() > 1 ? TlvMap.parse(args.get(1)) : null;
                        // As OVS (NXTTMFC_INVALID_TLV_DEL): a mapping a flow uses stays.
                        TlvMap before = maps.get(args.get(0));
                        refuse("ofctl/del-tlv-map", TlvUse.change(sp.flowStats(args.get(0)), before,
                                gone == null ? TlvMap.EMPTY : before.delete(gone)));
                        maps.delete(args.get(0), gone);
                    } catch (IllegalArgumentException | OfprotoException e) {
                        throw CommandException.failed("ofctl/del-tlv-map: " + e.getMessage());
                    }
                    return Reply.text("");
                });
        r.register("ofctl/dump-tlv-map", "BRIDGE", 1, 1, "the Geneve option mappings of a bridge",
                args -> Reply.text(maps(sp, args.get(0)).get(args.get(0)).dump()));
    }

    private static void refuse(String command, TlvUse.Refusal r) throws CommandException {
        if (r != null) {
            throw CommandException.failed(command + ": " + r.reason());
        }
    }

    private static TlvMaps maps(OfprotoService sp, String bridge) throws CommandException {
        try {
            sp.checkBridge(bridge);
            return sp.tunnels().tlvMaps();
        } catch (OfprotoException e) {
            throw CommandException.failed(e.getMessage());
        }
    }
}
