package dev.jvswitch.afpacket.rx;

import java.util.Locale;

/**
 * How an rx queue's ring hands frames to user space (port option {@code rx-ring}).
 *
 * <ul>
 *   <li>{@link #V2}: TPACKET_V2, one fixed-size slot per frame, each with its own status word. A
 *       frame is the reader's the moment the kernel has written it, so latency is bounded by the
 *       PMD's poll loop. The default.</li>
 *   <li>{@link #V3}: TPACKET_V3, frames packed into blocks that the kernel hands over when full or
 *       when its retire timer fires ({@link Tpacket3RxRing#RETIRE_TIMEOUT_MS}; a tick on kernels that
 *       count it in jiffies). Fewer status words to touch under a flood, so less CPU per frame on
 *       both sides of the ring, but a lone frame waits for the timer.</li>
 * </ul>
 */
public enum RxRingMode {
    V2("v2"),
    V3("v3");

    private final String label;

    RxRingMode(String label) {
        this.label = label;
    }

    /** The option value, {@code v2} or {@code v3}. */
    public String label() {
        return label;
    }

    /** The mode named {@code value} (case-insensitive), or {@code null}. */
    public static RxRingMode of(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (RxRingMode m : values()) {
            if (m.label.equals(v)) {
                return m;
            }
        }
        return null;
    }
}
