package dev.jvswitch.testkit.ovs;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code Megaflow:} line (OVS's {@code match_format}) as a set of matches, so that two lines
 * compare by meaning rather than by text: the order of fields does not matter, and a value is
 * compared as the bits it matches ({@code tp_src=0x404/0xfffc} equals {@code tp_src=1028/0xfffc};
 * {@code nw_src=10.0.0.0/8} equals {@code nw_src=10.1.2.3/255.0.0.0}). Words without {@code =}
 * ({@code eth}, {@code udp}, {@code arp}) are kept as they are.
 *
 * <p>Values: decimal or {@code 0x} numbers, IPv4 and IPv6 addresses (mask as a prefix length or an
 * address), MAC addresses; anything else ({@code nw_frag=no}, {@code tcp_flags=+syn-ack}) is
 * compared as text. A mask of all ones of an address's width is the same as none.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class MegaflowMatch {
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NUMBER = Pattern.compile("0x\\p{XDigit}+|\\d+");

    /** One item: its text as written and the canonical form it compares by. */
    public record Item(String field, String text, String canonical) {
    }

    private final Map<String, Item> items;

    private MegaflowMatch(Map<String, Item> items) {
        this.items = Collections.unmodifiableMap(items);
    }

    /** Parses a megaflow ({@code recirc_id=0,eth,udp,in_port=1,...}); the empty string matches everything. */
    public static MegaflowMatch parse(String text) {
        Map<String, Item> out = new LinkedHashMap<>();
        for (String raw : text.split(",")) {
            String t = raw.trim();
            if (t.isEmpty()) {
                continue;
            }
            Item item = item(t);
            if (out.put(item.field(), item) != null) {
                throw new IllegalArgumentException("field " + item.field() + " twice in megaflow: " + text);
            }
        }
        return new MegaflowMatch(out);
    }

    /** Parses one {@code field=value[/mask]} or bare word. */
    public static Item item(String t) {
        int eq = t.indexOf('=');
        if (eq < 0) {
            return new Item(t, t, t);
        }
        String field = t.substring(0, eq);
        return new Item(field, t, canonical(t.substring(eq + 1)));
    }

    /** The items by field name, in the order written. */
    public Map<String, Item> items() {
        return items;
    }

    /** This match without the items of {@code remove} (each must be here, exactly) and with {@code add}'s. */
    public MegaflowMatch replace(List<Item> remove, List<Item> add) {
        Map<String, Item> out = new LinkedHashMap<>(items);
        for (Item r : remove) {
            Item have = out.get(r.field());
            if (have == null || !have.canonical().equals(r.canonical())) {
                throw new IllegalArgumentException("'" + r.text() + "' is not in " + this);
            }
            out.remove(r.field());
        }
        for (Item a : add) {
            out.put(a.field(), a);
        }
        return new MegaflowMatch(out);
    }

    /** Whether {@code item} is here with the same meaning. */
    public boolean has(Item item) {
        Item have = items.get(item.field());
        return have != null && have.canonical().equals(item.canonical());
    }

    /**
     * What differs between this (OVS's) and {@code other} (jvswitch's), one line per field:
     * {@code only in OVS: ...}, {@code only in jvswitch: ...}, {@code OVS ... jvswitch ...}.
     */
    public List<String> diff(MegaflowMatch other) {
        List<String> out = new ArrayList<>();
        for (Item a : items.values()) {
            Item b = other.items.get(a.field());
            if (b == null) {
                out.add("only in OVS: " + a.text());
            } else if (!a.canonical().equals(b.canonical())) {
                out.add("OVS " + a.text() + ", jvswitch " + b.text());
            }
        }
        for (Item b : other.items.values()) {
            if (!items.containsKey(b.field())) {
                out.add("only in jvswitch: " + b.text());
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MegaflowMatch)) {
            return false;
        }
        return diff((MegaflowMatch) o).isEmpty();
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Item i : items.values()) {
            h += Objects.hash(i.field(), i.canonical());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Item i : items.values()) {
            s.append(s.length() == 0 ? "" : ",").append(i.text());
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ values

    private static String canonical(String v) {
        int slash = v.indexOf('/');
        String value = slash < 0 ? v : v.substring(0, slash);
        String mask = slash < 0 ? null : v.substring(slash + 1);
        int width = width(value);
        BigInteger val = number(value);
        if (val == null) {
            return v;
        }
        BigInteger m;
        if (mask == null) {
            m = null;
        } else if (width > 0 && mask.matches("\\d{1,3}") && !IPV4.matcher(mask).matches() && !MAC.matcher(value).matches()) {
            int len = Integer.parseInt(mask);
            if (len > width) {
                return v;
            }
            m = ones(width).shiftRight(width - len).shiftLeft(width - len);
        } else {
            m = number(mask);
            if (m == null) {
                return v;
            }
        }
        if (m != null && width > 0 && m.equals(ones(width))) {
            m = null;
        }
        return m == null ? "0x" + val.toString(16) : "0x" + val.and(m).toString(16) + "/0x" + m.toString(16);
    }

    /** Bits of an address value (32, 48, 128), or 0 for a plain number. */
    private static int width(String value) {
        if (IPV4.matcher(value).matches()) {
            return 32;
        }
        if (MAC.matcher(value).matches()) {
            return 48;
        }
        return value.contains(":") ? 128 : 0;
    }

    private static BigInteger ones(int bits) {
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    private static BigInteger number(String s) {
        if (NUMBER.matcher(s).matches()) {
            return s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
        }
        if (MAC.matcher(s).matches()) {
            return new BigInteger(s.replace(":", ""), 16);
        }
        if (IPV4.matcher(s).matches() || (s.contains(":") && s.matches("[\\p{XDigit}:.]+"))) {
            try {
                // A literal address: never a name lookup.
                return new BigInteger(1, InetAddress.getByName(s).getAddress());
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
