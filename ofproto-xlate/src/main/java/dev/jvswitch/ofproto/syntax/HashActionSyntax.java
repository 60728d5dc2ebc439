package dev.jvswitch.ofproto.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.jvswitch.ofproto.action.FieldRef;
import dev.jvswitch.ofproto.action.HashFields;
import dev.jvswitch.ofproto.action.OfAction;

/**
 * The ovs-ofctl syntax of the actions that pick by hash or combine flows: {@code conjunction},
 * {@code multipath}, {@code bundle} and {@code bundle_load}; {@link ActionSyntax} hands them here
 * and lends its token helpers.
 */
final class HashActionSyntax {
    private final ActionSyntax syntax;
    private final Source src;

    HashActionSyntax(ActionSyntax syntax, Source src) {
        this.syntax = syntax;
        this.src = src;
    }

    /** {@code multipath(fields,basis,algorithm,n_links,arg,dst)}, as OVS's multipath_parse. */
    OfAction multipath(ActionSyntax.Parts p, int at) {
        String arg = syntax.need(p, at);
        String[] a = arg.split("[, ]+");
        if (a.length != 6) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), arg, "multipath",
                    "fields,basis,algorithm,n_links,arg,dst");
        }
        HashFields fields = HashFields.byName(a[0]);
        if (fields == null) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), a[0], "multipath",
                    "eth_src, symmetric_l4, symmetric_l3l4, symmetric_l3l4+udp, nw_src or nw_dst");
        }
        OfAction.Multipath.Algorithm alg;
        try {
            alg = OfAction.Multipath.Algorithm.valueOf(a[2].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), a[2], "multipath",
                    "modulo_n, hash_threshold, hrw or iter_hash");
        }
        int basis = (int) syntax.parseNumber(a[1], p.argStart(), "multipath", 16);
        long links = syntax.parseNumber(a[3], p.argStart(), "multipath", 32);
        long extra = syntax.parseNumber(a[4], p.argStart(), "multipath", 32);
        FieldRef dst = syntax.fieldRef(a[5], p.argStart() + arg.lastIndexOf(a[5]), "multipath", true);
        try {
            return new OfAction.Multipath(fields, basis, alg, (int) Math.min(links, Integer.MAX_VALUE), extra, dst);
        } catch (IllegalArgumentException e) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), arg, "multipath", e.getMessage());
        }
    }

    /**
     * {@code bundle(fields,basis,algorithm,ofport,members:p,...)} and
     * {@code bundle_load(fields,basis,algorithm,ofport,dst,members:p,...)} ({@code slaves:} too).
     */
    OfAction bundle(ActionSyntax.Parts p, int at, boolean load) {
        String what = load ? "bundle_load" : "bundle";
        String arg = syntax.need(p, at);
        int colon = arg.indexOf(':');
        String head = colon < 0 ? arg : arg.substring(0, colon);
        int lastComma = head.lastIndexOf(',');
        String[] a = (lastComma < 0 ? head : head.substring(0, lastComma)).split("[, ]+");
        String expected = "fields,basis,algorithm,ofport," + (load ? "dst," : "") + "members:port,...";
        String listName = lastComma < 0 ? "" : head.substring(lastComma + 1).trim();
        if (colon < 0 || a.length != (load ? 5 : 4) || !(listName.equals("members") || listName.equals("slaves"))
                || !a[3].equals("ofport")) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), arg, what, expected);
        }
        HashFields fields = HashFields.byName(a[0]);
        if (fields == null) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), a[0], what,
                    "eth_src, symmetric_l4, symmetric_l3l4, symmetric_l3l4+udp, nw_src or nw_dst");
        }
        boolean hrw;
        if (a[2].equalsIgnoreCase("hrw")) {
            hrw = true;
        } else if (a[2].equalsIgnoreCase("active_backup")) {
            hrw = false;
        } else {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), a[2], what, "active_backup or hrw");
        }
        int basis = (int) syntax.parseNumber(a[1], p.argStart(), what, 16);
        FieldRef dst = load ? syntax.fieldRef(a[4], p.argStart() + head.indexOf(a[4]), what, true) : null;
        List<Integer> members = new ArrayList<>();
        for (String m : arg.substring(colon + 1).split("[, ]+")) {
            if (!m.isEmpty()) {
                members.add((int) syntax.parseNumber(m, p.argStart() + colon + 1, what, 16));
            }
        }
        return new OfAction.Bundle(fields, basis, hrw, members, dst);
    }

    /** OVS lets {@code conjunction} share a flow only with {@code note}. */
    void checkConjunctions(List<Source.Item> items, List<OfAction> apply) {
        boolean conj = false;
        for (OfAction a : apply) {
            conj |= a instanceof OfAction.Conjunction;
        }
        if (!conj) {
            return;
        }
        for (Source.Item item : items) {
            String name = ActionSyntax.split(item).name().toLowerCase(Locale.ROOT);
            if (!name.equals("conjunction") && !name.equals("note")) {
                throw src.fail(SyntaxError.NOT_ALLOWED, item.start(), item.text(), "with conjunction (only note is)");
            }
        }
    }

    /** {@code conjunction(id,k/n)}: 1 <= k <= n, 2 <= n <= 64, as OVS checks them. */
    OfAction conjunction(ActionSyntax.Parts p, int at) {
        String arg = syntax.need(p, at);
        int comma = arg.indexOf(',');
        int slash = arg.indexOf('/', comma + 1);
        String expected = "id,k/n with 1 <= k <= n and 2 <= n <= 64";
        if (comma < 0 || slash < 0) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), arg, "conjunction", expected);
        }
        long id = syntax.parseNumber(arg.substring(0, comma), p.argStart(), "conjunction", 32);
        long k = syntax.parseNumber(arg.substring(comma + 1, slash), p.argStart() + comma + 1, "conjunction", 8);
        long n = syntax.parseNumber(arg.substring(slash + 1), p.argStart() + slash + 1, "conjunction", 8);
        if (n < 2 || n > 64 || k < 1 || k > n) {
            throw src.fail(SyntaxError.BAD_VALUE, p.argStart(), arg, "conjunction", expected);
        }
        return new OfAction.Conjunction(id, (int) k, (int) n);
    }
}
