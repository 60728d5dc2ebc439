package dev.jvswitch.config;

import java.util.List;

/**
 * A bridge's OpenFlow channel: the controllers it connects to, the sockets it listens on, and how
 * it behaves towards them (OVS's Bridge and Controller columns that the channel needs). A bridge
 * with neither controllers nor listeners has no channel: its tables come from the file and
 * {@code jvsctl ofctl/*} alone.
 *
 * <p>Defaults are defined here, once: {@link #DEFAULT_PROTOCOLS}, {@link #DEFAULT_FAIL_MODE},
 * {@link #DEFAULT_INACTIVITY_PROBE_MS}; no rate limit; the datapath id derived from a port's MAC
 * ({@link #DERIVED_DATAPATH_ID}), as OVS derives it.
 *
 * @param controllers        {@code controller}: active targets ({@code tcp:}, {@code unix:})
 * @param listeners          {@code listen}: passive targets ({@code ptcp:}, {@code punix:})
 * @param protocols          {@code protocols}: OpenFlow wire versions offered (1.3 = 4 .. 1.5 = 6), ascending
 * @param failMode           {@code fail-mode}
 * @param datapathId         {@code datapath-id} (16 hex digits), or {@link #DERIVED_DATAPATH_ID}
 * @param rateLimit          {@code controller-rate-limit}: packet-ins per second per controller, 0 = unlimited
 * @param burstLimit         {@code controller-burst-limit}: packet-ins a controller may get in a burst
 * @param inactivityProbeMs  {@code inactivity-probe}: ms of silence before an echo request (0 = never);
 *                           a connection silent for twice as long is closed
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record OpenFlowSettings(List<OfTarget> controllers, List<OfTarget> listeners, List<Integer> protocols,
        FailMode failMode, long datapathId, int rateLimit, int burstLimit, int inactivityProbeMs) {
    /** OpenFlow 1.3, 1.4 and 1.5 (wire versions 4..6). */
    public static final List<Integer> DEFAULT_PROTOCOLS = List.of(4, 5, 6);
    /** The {@code protocols} names this switch speaks, by wire version - 4. */
    public static final List<String> PROTOCOL_NAMES = List.of("OpenFlow13", "OpenFlow14", "OpenFlow15");
    public static final FailMode DEFAULT_FAIL_MODE = FailMode.STANDALONE;
    public static final int DEFAULT_INACTIVITY_PROBE_MS = 5_000;
    /** {@link #datapathId} when the file gives none: the daemon derives it from a MAC. */
    public static final long DERIVED_DATAPATH_ID = -1;
    /** OVS's smallest rate limit (packets per second) and burst. */
    public static final int MIN_RATE_LIMIT = 100;
    public static final int MIN_BURST_LIMIT = 25;
    /** No channel: what a bridge without OpenFlow keys gets. */
    public static final OpenFlowSettings NONE = new OpenFlowSettings(List.of(), List.of(), DEFAULT_PROTOCOLS,
            DEFAULT_FAIL_MODE, DERIVED_DATAPATH_ID, 0, 0, DEFAULT_INACTIVITY_PROBE_MS);

    /** What the bridge does while no controller is connected (OVS's {@code fail_mode}). */
    public enum FailMode {
        /** Keep the flows as they are: no new flows until a controller installs them. */
        SECURE,
        /** Forward as a learning switch (NORMAL) until a controller connects. */
        STANDALONE
    }

    public OpenFlowSettings {
        controllers = List.copyOf(controllers);
        listeners = List.copyOf(listeners);
        protocols = List.copyOf(protocols);
    }

    /** True if the bridge has any OpenFlow connection to make or accept. */
    public boolean enabled() {
        return !controllers.isEmpty() || !listeners.isEmpty();
    }

    /** The name of wire version {@code v} in {@code protocols} ({@code OpenFlow13}). */
    public static String protocolName(int v) {
        return PROTOCOL_NAMES.get(v - 4);
    }

    /** The burst actually used: the configured one, or a quarter of the rate (at least {@link #MIN_BURST_LIMIT}). */
    public int effectiveBurst() {
        return burstLimit > 0 ? burstLimit : Math.max(MIN_BURST_LIMIT, rateLimit / 4);
    }
}
