package dev.jvswitch.vswitchd.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.BondSpec;
import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.ofproto.xlate.SlbHash;
import dev.jvswitch.vswitchd.ofproto.BondState;
import dev.jvswitch.vswitchd.ofproto.OfprotoService;

/**
 * {@code bond/show [BOND]}: each bond (or the one named) in the layout of OVS's
 * {@code bond_print_details}, so scripts that read ovs-appctl's output read ours: the mode, the
 * settings jvswitch fixes (no recirculation, hash basis 0, no lb_output, not all members active,
 * no up/down delay, no LACP), the time to the next rebalance of a balance-slb bond that
 * rebalances, the primary, the active member's MAC and name, then each member by name, enabled
 * while its link is up, with (balance-slb) the load of each hash bucket it sends, in kB, where
 * that is at least 1 kB. {@code bond/hash MAC [VLAN] [BASIS]} prints the bucket a source MAC falls
 * in, and {@code bond/migrate BOND HASH MEMBER} moves a bucket by hand, both as OVS's.
 *
 * <p><b>Thread-safety:</b> inline on the control thread; {@link OfprotoService#bonds} reads
 * published configurations.
 */
final class BondCommands {
    private BondCommands() {
    }

    static void register(CommandRegistry r, OfprotoService sp) {
        r.register("bond/show", "[BOND]", 0, 1, "bonds: mode, members, active member", args -> {
            List<BondState> all = sp.bonds();
            List<BondState> shown = new ArrayList<>();
            for (BondState b : all) {
                if (args.isEmpty() || b.name().equals(args.get(0))) {
                    shown.add(b);
                }
            }
            if (!args.isEmpty() && shown.isEmpty()) {
                throw CommandException.failed("no such bond");
            }
            StringBuilder sb = new StringBuilder();
            for (BondState b : shown) {
                details(sb, b);
            }
            return Reply.of(sb.toString(), Map.of("bonds", shown.stream().map(BondCommands::data).toList()));
        });
        r.register("bond/hash", "MAC [VLAN] [BASIS]", 1, 3, "the balance-slb hash bucket of a source MAC", args -> {
            long mac;
            int vlan;
            int basis;
            try {
                mac = Addresses.parseMac(args.get(0));
            } catch (IllegalArgumentException e) {
                throw CommandException.failed("invalid mac");
            }
            try {
                vlan = args.size() > 1 ? Integer.parseInt(args.get(1)) : 0;
            } catch (NumberFormatException e) {
                throw CommandException.failed("invalid vlan");
            }
            try {
                basis = args.size() > 2 ? Integer.parseUnsignedInt(args.get(2)) : 0;
            } catch (NumberFormatException e) {
                throw CommandException.failed("invalid basis");
            }
            int hash = SlbHash.bucket(mac, vlan, basis);
            return Reply.of(Integer.toString(hash), Map.of("hash", hash));
        });
        r.register("bond/migrate", "BOND HASH MEMBER", 3, 3, "move a balance-slb hash bucket to a member", args -> {
            String problem = sp.migrateBond(args.get(0), args.get(1), args.get(2));
            if (problem != null) {
                throw CommandException.failed(problem);
            }
            return Reply.of("migrated", Map.of());
        });
    }

    static void details(StringBuilder sb, BondState b) {
        sb.append("---- ").append(b.name()).append(" ----\n");
        sb.append("bond_mode: ").append(b.mode()).append('\n');
        sb.append("bond may use recirculation: no, Recirc-ID : -1\n");
        sb.append("bond-hash-basis: 0\n");
        sb.append("lb_output action: disabled, bond-id: -1\n");
        if (b.mode().equals(BondSpec.BALANCE_SLB)) {
            sb.append("all members active: false\n");
        }
        sb.append("updelay: 0 ms\n");
        sb.append("downdelay: 0 ms\n");
        if (b.balanced()) {
            sb.append("next rebalance: ").append(b.nextRebalanceMs()).append(" ms\n");
        }
        sb.append("lacp_status: off\n");
        sb.append("lacp_fallback_ab: false\n");
        sb.append("active-backup primary: ").append(b.primary() == null ? "<none>" : b.primary()).append('\n');
        sb.append("active member mac: ").append(Addresses.mac(b.activeMac())).append('(')
                .append(b.active() == null ? "none" : b.active()).append(")\n");
        for (BondState.Member m : b.members()) {
            sb.append("\nmember ").append(m.name()).append(": ").append(m.live() ? "enabled" : "disabled").append('\n');
            if (m.name().equals(b.active())) {
                sb.append("  active member\n");
            }
            sb.append("  may_enable: ").append(m.live()).append('\n');
            for (BondState.Hash h : b.balanced() ? m.hashes() : List.<BondState.Hash>of()) {
                if (h.txBytes() >= 1024) {
                    sb.append("  hash ").append(h.bucket()).append(": ").append(h.txBytes() / 1024).append(" kB load\n");
                }
            }
        }
        sb.append('\n');
    }

    private static Map<String, Object> data(BondState b) {
        return Map.of("bridge", b.bridge(), "name", b.name(), "mode", b.mode(),
                "primary", b.primary() == null ? "" : b.primary(), "active", b.active() == null ? "" : b.active(),
                "members", b.members().stream().map(m -> Map.of("name", m.name(), "enabled", m.live(),
                        "hashes", m.hashes().stream().map(h -> Map.of("hash", h.bucket(), "tx_bytes", h.txBytes()))
                                .toList())).toList());
    }
}
