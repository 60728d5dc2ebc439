package dev.jvswitch.config;

import java.util.List;
import java.util.Objects;

/**
 * The bond a port is a member of (OVS's Port with several Interfaces): every member is a port of
 * its own, with its own OpenFlow and datapath numbers, and each carries the same {@code BondSpec}.
 * NORMAL treats the members as one port: it learns MACs on the bond, floods to it once and sends
 * through the member the mode picks among those whose link is up.
 *
 * @param name    the bond's name (the Port row's), unique in the switch
 * @param mode    {@value #ACTIVE_BACKUP} or {@value #BALANCE_SLB}
 * @param primary the member active-backup prefers while its link is up, or null (OVS's
 *                {@code other_config:bond-primary})
 * @param members the members' port names, in the order the mode numbers them
 * @param rebalanceIntervalMs how often balance-slb moves load between members, 0 never (OVS's
 *                {@code other_config:bond-rebalance-interval})
 */
public record BondSpec(String name, String mode, String primary, List<String> members, long rebalanceIntervalMs) {
    /** One member carries everything; another takes over when its link goes down. */
    public static final String ACTIVE_BACKUP = "active-backup";
    /** Source MAC and VLAN pick the member; every member with its link up carries traffic. */
    public static final String BALANCE_SLB = "balance-slb";
    /** The modes jvswitch has. */
    public static final List<String> MODES = List.of(ACTIVE_BACKUP, BALANCE_SLB);
    /** OVS's default rebalance interval. */
    public static final long DEFAULT_REBALANCE_INTERVAL_MS = 10_000;

    public BondSpec {
        Objects.requireNonNull(name, "name");
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("bond " + name + ": mode " + mode + " is not one of " + MODES);
        }
        members = List.copyOf(members);
        if (rebalanceIntervalMs < 0) {
            throw new IllegalArgumentException("bond " + name + ": negative rebalance interval " + rebalanceIntervalMs);
        }
    }

    /** A bond that rebalances at OVS's default interval. */
    public BondSpec(String name, String mode, String primary, List<String> members) {
        this(name, mode, primary, members, DEFAULT_REBALANCE_INTERVAL_MS);
    }
}
