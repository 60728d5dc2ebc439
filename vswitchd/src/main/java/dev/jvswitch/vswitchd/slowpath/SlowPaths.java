package dev.jvswitch.vswitchd.slowpath;

import dev.jvswitch.vswitchd.slowpath.builtin.BuiltinSlowPath;

/**
 * Picks the slow path the daemon runs: the one place to change when the OpenFlow slow path
 * (ofproto-xlate, with its revalidators) is plugged in.
 */
public final class SlowPaths {
    private SlowPaths() {
    }

    /** A new, unstarted slow path. */
    public static SlowPath create() {
        return new BuiltinSlowPath();
    }
}
