package dev.jvswitch.ofproto.tnl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bridge's TLV map (OVS's {@code tun_table}, what {@code ovs-ofctl add-tlv-map} and
 * {@code NXT_TLV_TABLE_MOD} edit): which Geneve option, by class, type and data length, is
 * {@code tun_metadataN} in its OpenFlow tables. An option the map does not name is invisible to
 * the tables; one with the critical bit (type 0x80 and up) makes translation drop the packet.
 *
 * <p>Each {@code tun_metadataN} is 32 bits of the flow key, so a mapping's length must be 4: the
 * size of OVN's option (class 0x0102, type 0x80) and of OVS's own tests' options. OVS's limit is
 * 124 bytes per option and 256 in all; longer options are refused here by name.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class TlvMap {
    /** At most this many {@code tun_metadataN}, as in OVS. */
    public static final int MAX_FIELDS = 64;
    /** OVS's {@code TUN_METADATA_TOT_OPT_SIZE}, printed by {@link #dump}. */
    public static final int MAX_OPTION_SPACE = 256;
    /** The one option data length this switch maps. */
    public static final int OPTION_LENGTH = 4;

    public static final TlvMap EMPTY = new TlvMap(new Mapping[0]);

    private static final Pattern ONE = Pattern.compile(
            "\\{class=(0[xX][0-9a-fA-F]+|\\d+),type=(0[xX][0-9a-fA-F]+|\\d+),len=(0[xX][0-9a-fA-F]+|\\d+)\\}"
                    + "->tun_metadata(\\d+)");

    /** One mapping: option {@code optionClass}/{@code type} of {@code length} data bytes is {@code tun_metadata<index>}. */
    public record Mapping(int optionClass, int type, int length, int index) {
        @Override
        public String toString() {
            return "{class=0x" + Integer.toHexString(optionClass) + ",type=0x" + Integer.toHexString(type) + ",len="
                    + length + "}->tun_metadata" + index;
        }
    }

    /** By index, ascending: the order options are pushed in, as OVS's. */
    private final Mapping[] mappings;

    private TlvMap(Mapping[] mappings) {
        this.mappings = mappings;
    }

    /** Mappings, by index. */
    public List<Mapping> mappings() {
        return List.of(mappings);
    }

    public int size() {
        return mappings.length;
    }

    /** The {@code k}-th mapping by index. */
    public Mapping get(int k) {
        return mappings[k];
    }

    /** The index N of {@code tun_metadataN} for the option, or -1 (no allocation: an upcall calls it). */
    public int indexOf(int optionClass, int type, int length) {
        for (Mapping m : mappings) {
            if (m.optionClass == optionClass && m.type == type && m.length == length) {
                return m.index;
            }
        }
        return -1;
    }

    /** True if {@code tun_metadata<index>} is mapped. */
    public boolean isMapped(int index) {
        for (Mapping m : mappings) {
            if (m.index == index) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code ovs-ofctl}'s mapping list, {@code {class=C,type=T,len=L}->tun_metadataN}
     * separated by commas.
     *
     * @throws IllegalArgumentException naming the mapping that is wrong
     */
    public static List<Mapping> parse(String text) {
        List<Mapping> out = new ArrayList<>();
        String s = text.trim();
        int pos = 0;
        while (pos < s.length()) {
            if (s.charAt(pos) == ',') {
                pos++;
            }
            Matcher m = ONE.matcher(s);
            m.region(pos, s.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("invalid tlv mapping at '" + s.substring(pos)
                        + "': expected {class=C,type=T,len=L}->tun_metadataN");
            }
            int cls = number(m.group(1), 0xffff, "class", s);
            int type = number(m.group(2), 0xff, "type", s);
            int len = number(m.group(3), 0xff, "len", s);
            int index = number(m.group(4), MAX_FIELDS - 1, "tun_metadata index", s);
            out.add(new Mapping(cls, type, len, index));
            pos = m.end();
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("invalid tlv mapping: none given");
        }
        return out;
    }

    /** {@link #parse} of each text, in order: a config's list. */
    public static List<Mapping> parseAll(List<String> texts) {
        List<Mapping> out = new ArrayList<>();
        for (String t : texts) {
            out.addAll(parse(t));
        }
        return out;
    }

    private static int number(String t, int max, String what, String text) {
        long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        if (v > max) {
            throw new IllegalArgumentException("invalid tlv mapping '" + text + "': " + what + " " + t
                    + " out of range 0.." + max);
        }
        return (int) v;
    }

    /**
     * This map with {@code added} too (OVS's {@code NXTTMC_ADD}): all or nothing.
     *
     * @throws IllegalArgumentException as OVS refuses: an index already mapped, an option already
     *                                  mapped, a length not a multiple of 4; and a length other
     *                                  than 4, which this switch cannot map
     */
    public TlvMap add(List<Mapping> added) {
        List<Mapping> next = new ArrayList<>(List.of(mappings));
        for (Mapping a : added) {
            if (a.length % 4 != 0 || a.length > 124) {
                throw new TlvMapException(TlvMapException.Reason.BAD_OPT_LEN, "tlv mapping " + a
                        + ": len must be a multiple of 4 up to 124");
            }
            if (a.length != OPTION_LENGTH) {
                throw new TlvMapException(TlvMapException.Reason.BAD_OPT_LEN, "tlv mapping " + a
                        + ": only 4-byte options can be mapped here (each tun_metadataN is 32 bits)");
            }
            if (a.index < 0 || a.index >= MAX_FIELDS) {
                throw new IllegalArgumentException("tlv mapping " + a + ": index out of range 0.." + (MAX_FIELDS - 1));
            }
            int space = a.length;
            for (Mapping m : next) {
                if (m.index == a.index) {
                    throw new TlvMapException(TlvMapException.Reason.ALREADY_MAPPED, "tlv mapping " + a
                            + ": tun_metadata" + a.index + " is already mapped (" + m + ")");
                }
                if (m.optionClass == a.optionClass && m.type == a.type) {
                    throw new TlvMapException(TlvMapException.Reason.DUP_ENTRY, "tlv mapping " + a
                            + ": the option is already mapped (" + m + ")");
                }
                space += m.length;
            }
            if (space > MAX_OPTION_SPACE) {
                throw new TlvMapException(TlvMapException.Reason.TABLE_FULL, "tlv mapping " + a + ": " + space
                        + " bytes of options exceed the option space of " + MAX_OPTION_SPACE);
            }
            next.add(a);
        }
        return of(next);
    }

    /**
     * This map without the mappings of {@code indices} (OVS's {@code NXTTMC_DELETE} as the
     * OpenFlow channel carries it: by index, an index not mapped ignored).
     */
    public TlvMap deleteIndices(List<Integer> indices) {
        List<Mapping> next = new ArrayList<>(List.of(mappings));
        next.removeIf(m -> indices.contains(m.index));
        return of(next);
    }

    /**
     * This map without the indices {@code removed} name (OVS's {@code NXTTMC_DELETE}).
     *
     * @throws IllegalArgumentException if one of them is not mapped as given
     */
    public TlvMap delete(List<Mapping> removed) {
        List<Mapping> next = new ArrayList<>(List.of(mappings));
        for (Mapping r : removed) {
            if (!next.remove(r)) {
                throw new TlvMapException(TlvMapException.Reason.NOT_MAPPED, "tlv mapping " + r + " is not in the map");
            }
        }
        return of(next);
    }

    private static TlvMap of(List<Mapping> list) {
        list.sort(Comparator.comparingInt(Mapping::index));
        return list.isEmpty() ? EMPTY : new TlvMap(list.toArray(new Mapping[0]));
    }

    /** {@code ovs-ofctl dump-tlv-map}'s text (its {@code NXT_TLV_TABLE_REPLY}). */
    public String dump() {
        StringBuilder sb = new StringBuilder("NXT_TLV_TABLE_REPLY (xid=0x0):\n");
        int allocated = 0;
        for (Mapping m : mappings) {
            allocated += m.length;
        }
        sb.append(" max option space=").append(MAX_OPTION_SPACE).append(" max fields=").append(MAX_FIELDS).append('\n');
        sb.append(" allocated option space=").append(allocated).append('\n').append('\n');
        sb.append(" mapping table:\n");
        sb.append("  class  type  length  match field\n");
        sb.append(" ------  ----  ------  --------------");
        for (Mapping m : mappings) {
            sb.append(String.format("%n %6s  %4s  %6d  tun_metadata%d", altHex(m.optionClass), altHex(m.type), m.length,
                    m.index));
        }
        return sb.append('\n').toString().replace("\r\n", "\n");
    }

    /** C's {@code %#x}. */
    private static String altHex(int v) {
        return v == 0 ? "0" : "0x" + Integer.toHexString(v);
    }

    @Override
    public String toString() {
        return List.of(mappings).toString();
    }
}
