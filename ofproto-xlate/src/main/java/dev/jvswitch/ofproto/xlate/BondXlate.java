package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.mac.MacDependency;

/**
 * NORMAL's view of a {@link Bond} (OVS's {@code bond_check_admissibility} and
 * {@code bond_choose_output_member}): whether a frame that arrived on a member is taken, and
 * which member a frame leaves through. Both read port liveness, which is not in the flow key: the
 * daemon revalidates every megaflow when a link changes, and re-translation follows the new
 * answer. Balance-slb's choice reads the source MAC and VLAN, both exact in NORMAL's megaflow, and
 * the bucket's member, which a rebalance changes: the megaflows it recorded a {@code BondHit} in
 * are revalidated then.
 */
final class BondXlate {
    private BondXlate() {
    }

    /** The active member ({@link Bond#active}), by the ports' liveness. */
    static int active(XlateContext c, Bond b) {
        BridgeConfig cfg = c.bridge().config();
        return b.active(p -> live(c, cfg, p));
    }

    /**
     * Whether a frame from {@code src} to {@code dst} in {@code vlan} that arrived on member
     * {@code inPort} of {@code b} is taken: broadcast and multicast only on the active member;
     * active-backup nothing but on the active member; balance-slb nothing whose source was
     * learned on a port outside the bond (our own flood reflected by the peer switch).
     */
    static boolean admit(XlateContext c, Bond b, int inPort, long src, long dst, int vlan) {
        boolean multicast = ((dst >>> 40) & 1) != 0;
        if ((multicast || b.mode() == Bond.Mode.ACTIVE_BACKUP) && active(c, b) != inPort) {
            c.report(TraceNode.Kind.DETAIL, multicast ? "bond: multicast on an inactive member, dropping"
                    : "bond: active-backup frame on a backup member, dropping");
            return false;
        }
        if (b.mode() == Bond.Mode.BALANCE_SLB) {
            String bridge = c.bridge().name();
            int learned = c.bridge().macTable().lookup(src, vlan, c.nowNs());
            c.addMacDependency(bridge, vlan, src, learned);
            if (learned != MacDependency.UNKNOWN && !b.contains(learned)) {
                c.report(TraceNode.Kind.DETAIL, "bond: source learned on another port, dropping a reflection");
                return false;
            }
        }
        return true;
    }

    /**
     * The member a frame from {@code src} in {@code vlan} leaves {@code b} through, or null if none
     * is live. Balance-slb: the bucket of the source MAC and VLAN ({@link SlbHash}) and the
     * member it sends through ({@link Bond#slbMember}), recorded in the context so the megaflow
     * counts toward the bucket's load and follows it when a rebalance moves it.
     */
    static OfPort choose(XlateContext c, Bond b, long src, int vlan) {
        BridgeConfig cfg = c.bridge().config();
        if (b.mode() == Bond.Mode.ACTIVE_BACKUP) {
            int a = active(c, b);
            return a == Bond.NONE ? null : cfg.byOfPort(a);
        }
        long liveMask = 0;
        for (int i = 0; i < b.memberCount(); i++) {
            if (live(c, cfg, b.member(i))) {
                liveMask |= 1L << i;
            }
        }
        if (liveMask == 0) {
            return null;
        }
        int bucket = SlbHash.bucket(src, vlan, 0);
        int member = b.slbMember(bucket, liveMask);
        c.bondHit(b, bucket, member);
        return cfg.byOfPort(member);
    }

    private static boolean live(XlateContext c, BridgeConfig cfg, int ofPort) {
        OfPort p = cfg.byOfPort(ofPort);
        return p != null && c.liveness().isLive(p);
    }
}
