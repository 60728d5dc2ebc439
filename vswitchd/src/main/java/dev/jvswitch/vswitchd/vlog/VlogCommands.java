package dev.jvswitch.vswitchd.vlog;

import java.util.List;

import dev.jvswitch.vswitchd.control.CommandException;
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.control.Reply;

/**
 * The {@code vlog/*} commands, with OVS's names and forms: {@code vlog/list},
 * {@code vlog/set [SPEC]}, {@code vlog/reopen}, {@code vlog/enable-rate-limit [MODULE...]},
 * {@code vlog/disable-rate-limit [MODULE...]}. They reach the daemon through jvsctl and, under a
 * database, through OVS's unixctl socket ({@code ovs-appctl -t ovs-vswitchd vlog/set ...}).
 *
 * <p>All run on the control thread (inline: changing a level waits on nothing).
 */
public final class VlogCommands {
    /** The names, for {@code CommandKind} (every one inline). */
    public static final List<String> NAMES = List.of("vlog/list", "vlog/set", "vlog/reopen", "vlog/enable-rate-limit",
            "vlog/disable-rate-limit");

    private VlogCommands() {
    }

    public static void register(CommandRegistry r, Vlog vlog) {
        r.register("vlog/list", "", 0, 0, "log levels of every module", args ->
                Reply.of(vlog.list(), vlog.listData()));
        r.register("vlog/set", "[MODULE][:DESTINATION][:LEVEL]...", 0, Integer.MAX_VALUE,
                "change log levels at run time (OVS's vlog/set; dbg when no level is given)", args -> {
                    try {
                        return Reply.text(vlog.set(args.isEmpty() ? "any:any:dbg" : String.join(" ", args)));
                    } catch (IllegalArgumentException e) {
                        throw CommandException.usage(e.getMessage());
                    }
                });
        r.register("vlog/reopen", "", 0, 0, "reopen the log file (after logrotate moved it)", args -> {
            try {
                return Reply.text(vlog.reopen());
            } catch (IllegalStateException e) {
                throw CommandException.failed(e.getMessage());
            }
        });
        r.register("vlog/enable-rate-limit", "[MODULE]...", 0, Integer.MAX_VALUE,
                "rate-limit repeated warnings (the default)", args -> rateLimit(vlog, args, true));
        r.register("vlog/disable-rate-limit", "[MODULE]...", 0, Integer.MAX_VALUE,
                "log every repeated warning", args -> rateLimit(vlog, args, false));
    }

    private static Reply rateLimit(Vlog vlog, List<String> args, boolean on) throws CommandException {
        try {
            return Reply.text(vlog.rateLimit(args, on));
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }
}
