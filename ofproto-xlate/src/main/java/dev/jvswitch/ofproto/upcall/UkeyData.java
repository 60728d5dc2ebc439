package dev.jvswitch.ofproto.upcall;

import java.util.List;

import dev.jvswitch.ofproto.bridge.BondHit;
import dev.jvswitch.ofproto.group.GroupHit;
import dev.jvswitch.ofproto.mac.MacDependency;
import dev.jvswitch.ofproto.mac.MacLearning;
import dev.jvswitch.ofproto.table.Rule;
import dev.jvswitch.ofproto.xlate.FinTimeouts;
import dev.jvswitch.ofproto.xlate.Learned;
import dev.jvswitch.ofproto.xlate.XlateOutput;
import dev.jvswitch.ofproto.xlate.XlateResult;

/**
 * What the slow path keeps with an installed megaflow's ukey for the revalidators: the snapshot
 * version it was translated against, the rules to credit its packets to, the MAC lookups its
 * actions depend on and the MACs to keep learned, the recirc ids it uses, and the bond buckets it
 * sends through.
 *
 * @param snapshotVersion the version translated against; a flow is current while the published
 *                        version and every MAC dependency are unchanged
 * @param rules           immutable, in the order their actions ran
 * @param macDependencies immutable
 * @param macLearnings    immutable
 * @param recircIds       do not modify
 * @param groupHits       the groups (and buckets) to credit its packets to; immutable
 * @param learned         the flows its learn actions make, applied again while it sees packets
 * @param finTimeouts     its {@code fin_timeout}s ({@link FinTimeouts}, indexes into {@code rules}),
 *                        applied when its packets carry FIN or RST; do not modify
 * @param bondHits        the balance-slb buckets it sends through: its bytes count toward their
 *                        load, and it is stale once a rebalance moves one ({@link #bondStale()});
 *                        immutable
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record UkeyData(long snapshotVersion, List<Rule> rules, List<MacDependency> macDependencies,
        List<MacLearning> macLearnings, int[] recircIds, List<GroupHit> groupHits, List<Learned> learned,
        long[] finTimeouts, List<BondHit> bondHits) {

    public static UkeyData of(XlateResult r) {
        return new UkeyData(r.snapshotVersion(), r.rules(), r.macDependencies(), r.macLearnings(), r.recircIds(),
                r.groupHits(), r.learned(), r.finTimeouts(), r.bondHits());
    }

    /** Copies what a ukey keeps out of a translation done in place (the upcall path). */
    public static UkeyData of(XlateOutput o) {
        return new UkeyData(o.snapshotVersion(), o.rules(), o.macDependencies(), o.macLearnings(), o.recircIds(),
                o.groupHits(), o.learned(), o.finTimeouts(), o.bondHits());
    }

    /**
     * OVS's {@code XC_FIN_TIMEOUT} on a stats push: the flow's packets carried {@code tcpFlags}
     * (cumulative, as the datapath keeps them); FIN or RST lowers the timeouts of its rules
     * that hold a {@code fin_timeout}.
     */
    public void onTcpFlags(int tcpFlags) {
        FinTimeouts.onTcpFlags(rules, finTimeouts, tcpFlags);
    }

    /** Credits every rule, group and bond bucket of this flow. */
    public void credit(long packets, long bytes, long usedNs) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            rules.get(i).stats().add(packets, bytes, usedNs);
        }
        for (int i = 0, n = groupHits.size(); i < n; i++) {
            groupHits.get(i).credit(packets, bytes);
        }
        for (int i = 0, n = bondHits.size(); i < n; i++) {
            bondHits.get(i).credit(bytes);
        }
    }

    /** True if a rebalance moved a bond bucket this flow sends through to another member. */
    public boolean bondStale() {
        for (int i = 0, n = bondHits.size(); i < n; i++) {
            if (bondHits.get(i).stale()) {
                return true;
            }
        }
        return false;
    }
}
