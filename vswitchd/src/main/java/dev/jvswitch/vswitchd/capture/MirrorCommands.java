package dev.jvswitch.vswitchd.capture;

import java.util.List;

import dev.jvswitch.vswitchd.control.CommandException;
import dev.jvswitch.vswitchd.control.CommandRegistry;
import dev.jvswitch.vswitchd.control.Reply;

/**
 * {@code mirror/start}, {@code mirror/stop}, {@code mirror/show}. Start and stop run on the change
 * thread (start waits up to two seconds to say whether the file opened); show is inline.
 */
public final class MirrorCommands {
    /** The names, for {@code CommandKind}. */
    public static final List<String> CHANGES = List.of("mirror/start", "mirror/stop");
    public static final List<String> INLINE = List.of("mirror/show");

    private MirrorCommands() {
    }

    public static void register(CommandRegistry r, MirrorManager mirrors) {
        r.register("mirror/start", MirrorSpec.USAGE, 2, 6,
                "copy a port's packets to a pcap file, a FIFO or an interface (iface=NAME: a TAP or veth),"
                        + " bounded in bytes and rate", args -> {
                    MirrorSpec spec;
                    try {
                        spec = MirrorSpec.parse(args);
                    } catch (IllegalArgumentException e) {
                        throw CommandException.usage(e.getMessage());
                    }
                    try {
                        return Reply.text(mirrors.start(spec));
                    } catch (IllegalArgumentException e) {
                        throw CommandException.failed(e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw CommandException.failed("mirror/start: interrupted");
                    }
                });
        r.register("mirror/stop", "PORT", 1, 1, "stop a port's mirror and close its file", args -> {
            try {
                return Reply.text(mirrors.stop(args.get(0)));
            } catch (IllegalArgumentException e) {
                throw CommandException.failed(e.getMessage());
            }
        });
        r.register("mirror/show", "", 0, 0, "mirrors with their files, counts and drops", args ->
                Reply.of(mirrors.showText(), mirrors.show()));
    }
}
