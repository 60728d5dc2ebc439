package dev.jvswitch.vswitchd.slowpath;

import dev.jvswitch.ofproto.OfprotoRevalidation;

/** Picks the slow path the daemon runs: the OpenFlow one (ofproto-xlate) with its revalidators. */
public final class SlowPaths {
    private SlowPaths() {
    }

    /** A new, unstarted slow path. */
    public static SlowPath create() {
        return new OfprotoSlowPath(OfprotoRevalidation::new);
    }
}
