package dev.jvswitch.ofproto;

import java.util.Collection;

import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.bridge.SlbBuckets;
import dev.jvswitch.ofproto.xlate.PortLiveness;

/**
 * Balance-slb rebalancing over every bridge (OVS runs {@code bond_rebalance} for each bond right
 * after rule expiry, once the revalidators have pushed every megaflow's statistics into the
 * buckets): each bond whose {@code bond-rebalance-interval} has passed moves buckets between its
 * live members ({@link SlbBuckets#rebalance}). The megaflows through a moved bucket are then
 * stale ({@code BondHit#stale}) and the next revalidation cycle translates them again; the others
 * are left alone.
 *
 * <p><b>Thread-safety:</b> called by the revalidator leader only; reads published configurations
 * and thread-safe liveness.
 */
final class BondRebalance {
    private BondRebalance() {
    }

    /** Rebalances what is due at {@code nowMs}; returns the number of buckets moved. */
    static int run(Collection<BridgeConfig> configs, PortLiveness liveness, long nowMs) {
        int moved = 0;
        int[] scratch = null;
        for (BridgeConfig cfg : configs) {
            for (Bond bond : cfg.bonds()) {
                if (!bond.balanced()) {
                    continue;
                }
                if (scratch == null) {
                    scratch = new int[SlbBuckets.BUCKETS];
                }
                moved += bond.rebalance(nowMs, liveMask(cfg, bond, liveness), scratch);
            }
        }
        return moved;
    }

    /** Bit i set if member i of {@code bond} is live. */
    static long liveMask(BridgeConfig cfg, Bond bond, PortLiveness liveness) {
        long mask = 0;
        for (int i = 0; i < bond.memberCount(); i++) {
            OfPort p = cfg.byOfPort(bond.member(i));
            if (p != null && liveness.isLive(p)) {
                mask |= 1L << i;
            }
        }
        return mask;
    }
}
