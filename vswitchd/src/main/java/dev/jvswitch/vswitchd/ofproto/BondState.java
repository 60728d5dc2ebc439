package dev.jvswitch.vswitchd.ofproto;

import java.util.List;

/**
 * A bond as it runs now ({@code bond/show}, {@code Port.bond_active_slave}): its configuration,
 * each member's liveness, and the active member that translation uses (active-backup's carrier,
 * and the member that takes broadcast and multicast in either mode).
 *
 * @param bridge  the bridge it is on
 * @param name    the bond's (the Port row's) name
 * @param mode    {@code active-backup} or {@code balance-slb}
 * @param primary the preferred member's name, or null
 * @param active  the active member's name, or null when no member is live
 * @param members by name
 * @param balanced      a balance-slb bond that rebalances: its members list their buckets' loads
 * @param nextRebalanceMs milliseconds until the next rebalance (when {@code balanced})
 *
 * <p>Immutable.
 */
public record BondState(String bridge, String name, String mode, String primary, String active,
        List<Member> members, boolean balanced, long nextRebalanceMs) {
    /**
     * One member.
     *
     * @param name   the port's name
     * @param dpPort its datapath number, or -1
     * @param live   whether its link is up (translation may use it)
     * @param mac    its device's MAC, 0 when unknown
     * @param hashes the balance-slb buckets it sends, ascending (empty for other modes)
     */
    public record Member(String name, int dpPort, boolean live, long mac, List<Hash> hashes) {
        public Member {
            hashes = List.copyOf(hashes);
        }
    }

    /**
     * A balance-slb bucket and its load.
     *
     * @param bucket  0..255, as OVS numbers its hashes
     * @param txBytes bytes counted since rebalances last halved them
     */
    public record Hash(int bucket, long txBytes) {
    }

    public BondState {
        members = List.copyOf(members);
    }

    /** The active member's MAC; 0 without one (OVS shows and writes {@code 00:00:00:00:00:00}). */
    public long activeMac() {
        for (Member m : members) {
            if (m.name().equals(active)) {
                return m.mac();
            }
        }
        return 0;
    }
}
