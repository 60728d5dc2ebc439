package dev.jvswitch.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import dev.jvswitch.config.BondSpec;
import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.Bond;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.bridge.SlbBuckets;
import dev.jvswitch.ofproto.xlate.PortLiveness;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.netdev.Netdev;

/**
 * The bonds as the control commands see them: {@link BondState}s for {@code bond/show} and
 * {@code Port.bond_active_slave}, and {@code bond/migrate}, which moves one balance-slb bucket by
 * hand as OVS's does.
 *
 * <p><b>Thread-safety:</b> stateless; reads published configurations, thread-safe liveness and
 * the buckets' atomics.
 */
final class BondViews {
    private BondViews() {
    }

    /**
     * Every bridge's bonds as they run, by bridge then bond name; the active member is chosen now
     * if no translation chose one yet (as OVS's {@code bond_run} does).
     */
    static List<BondState> states(Ofproto ofproto, PortLiveness liveness, Datapath dp) {
        List<BondState> out = new ArrayList<>();
        for (String bridge : new TreeSet<>(ofproto.bridges())) {
            BridgeConfig cfg = ofproto.bridgeConfig(bridge);
            if (cfg == null) {
                continue;
            }
            List<Bond> bonds = new ArrayList<>(cfg.bonds());
            bonds.sort(Comparator.comparing(Bond::name));
            for (Bond b : bonds) {
                out.add(state(ofproto, liveness, dp, bridge, cfg, b));
            }
        }
        return out;
    }

    private static BondState state(Ofproto ofproto, PortLiveness liveness, Datapath dp, String bridge,
            BridgeConfig cfg, Bond b) {
        IntPredicate live = no -> {
            OfPort p = cfg.byOfPort(no);
            return p != null && liveness.isLive(p);
        };
        int active = b.active(live);
        SlbBuckets buckets = b.buckets();
        List<BondState.Member> members = new ArrayList<>();
        for (int no : b.members()) {
            OfPort p = cfg.byOfPort(no);
            if (p == null) {
                continue;
            }
            Netdev n = p.hasDpPort() && dp != null ? dp.port(p.dpPort()) : null;
            List<BondState.Hash> hashes = new ArrayList<>();
            for (int h = 0; buckets != null && h < SlbBuckets.BUCKETS; h++) {
                if (buckets.member(h) == no) {
                    hashes.add(new BondState.Hash(h, buckets.txBytes(h)));
                }
            }
            members.add(new BondState.Member(p.name(), p.hasDpPort() ? p.dpPort() : -1, live.test(no),
                    n == null ? 0 : n.macAddress(), hashes));
        }
        members.sort(Comparator.comparing(BondState.Member::name));
        String mode = b.mode() == Bond.Mode.ACTIVE_BACKUP ? BondSpec.ACTIVE_BACKUP : BondSpec.BALANCE_SLB;
        long next = 0;
        if (b.balanced()) {
            long due = buckets.nextRebalanceMs();
            next = due == 0 ? b.rebalanceIntervalMs() : Math.max(0, due - ofproto.nowNs() / 1_000_000L);
        }
        return new BondState(bridge, b.name(), mode, name(cfg, b.primary()), name(cfg, active), members,
                b.balanced(), next);
    }

    /**
     * OVS's {@code bond/migrate BOND HASH MEMBER}: bucket {@code hash} (0..255, as {@code bond/show}
     * and {@code bond/hash} number them; larger values are masked as OVS does) of balance-slb bond
     * {@code bondName} sends through {@code memberName} from now on.
     *
     * @return null, or why not in OVS's words
     */
    static String migrate(Ofproto ofproto, PortLiveness liveness, String bondName, String hash, String memberName) {
        for (String bridge : ofproto.bridges()) {
            BridgeConfig cfg = ofproto.bridgeConfig(bridge);
            for (Bond b : cfg == null ? List.<Bond>of() : cfg.bonds()) {
                if (!b.name().equals(bondName)) {
                    continue;
                }
                if (b.buckets() == null) {
                    return "not an SLB bond";
                }
                if (!hash.matches("\\d{1,9}")) {
                    return "bad hash";
                }
                OfPort member = cfg.byName(memberName);
                if (member == null || !b.contains(member.ofPort())) {
                    return "no such member";
                }
                if (!liveness.isLive(member)) {
                    return "cannot migrate to disabled member";
                }
                b.buckets().migrate(Integer.parseInt(hash) & (SlbBuckets.BUCKETS - 1), member.ofPort());
                return null;
            }
        }
        return "no such bond";
    }

    private static String name(BridgeConfig cfg, int ofPort) {
        OfPort p = ofPort == Bond.NONE ? null : cfg.byOfPort(ofPort);
        return p == null ? null : p.name();
    }
}
