package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.ofproto.bridge.OfPort;

/**
 * Whether a port is up, as fast-failover groups (and select-group buckets that watch a port)
 * need to know. The daemon feeds it from link state; the answer is not part of the flow key, so
 * whoever changes it must make the megaflows revalidate ({@code Ofproto.onPortLivenessChanged}).
 *
 * <p><b>Thread-safety:</b> called by every PMD thread during translation; implementations must be
 * safe to call concurrently and must not block.
 */
@FunctionalInterface
public interface PortLiveness {
    /** Every port is live. */
    PortLiveness ALL_LIVE = port -> true;

    boolean isLive(OfPort port);
}
