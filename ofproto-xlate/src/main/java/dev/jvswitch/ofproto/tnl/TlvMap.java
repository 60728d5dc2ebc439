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
 * <p><b>Layout.</b> The translated options live in the flow key's 256 bytes of tunnel metadata
 * words, as 64 slots of 4 bytes: slot N is the 32 bits of {@code tun_metadataN}
 * ({@link dev.jvswitch.flowcache.key.FlowField#tunMetadata}). A mapping of OVN's length, 4, holds
 * its data in its own slot. A longer one (up to OVS's 124 bytes, 256 in all) holds its last 4
 * bytes there and the bytes before them in slots no mapping owns, taken from slot 63 down
 * ({@link #extensionSlots}); so each option keeps its bytes through a pop and a push. A rule on a
 * longer option matches or sets all of its slots ({@link #slotsOf}: the flow text re-lays the
 * option's value into them when it is read with the bridge's map).
 *
 * <p><b>Stable slots.</b> As OVS keeps an option's place in its metadata when other mappings come
 * and go, a map made from another ({@link #add}, {@link #delete}) keeps the slots of every mapping
 * the two share, and gives new mappings free slots; only a new mapping whose own index is a slot
 * an older mapping's bytes hold moves those bytes (to other free slots).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class TlvMap {
    /** At most this many {@code tun_metadataN}, as in OVS. */
    public static final int MAX_FIELDS = 64;
    /** OVS's {@code TUN_METADATA_TOT_OPT_SIZE}, printed by {@link #dump}. */
    public static final int MAX_OPTION_SPACE = 256;
    /** Bytes of one slot of the option space (and of a {@code tun_metadataN} a rule can match). */
    public static final int SLOT_BYTES = 4;
    /** OVS's {@code TLV_MAX_OPT_SIZE}: the longest option data a mapping may name. */
    public static final int MAX_OPTION_LENGTH = 124;

    public static final TlvMap EMPTY = new TlvMap(new Mapping[0], null);

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
    /** Of each mapping: the slots of its data before its last 4 bytes, in data order (see the class comment). */
    private final int[][] extension;

    private TlvMap(Mapping[] mappings, TlvMap before) {
        this.mappings = mappings;
        this.extension = allocate(mappings, before);
    }

    /** Slots of 4 bytes a mapping takes: its own, and one more per 4 bytes past the first 4. */
    private static int slots(Mapping m) {
        return Math.max(1, m.length / SLOT_BYTES);
    }

    /**
     * The slots past each mapping's own: those it had in {@code before} if none of them is now
     * another mapping's own, else free ones from the top, in index order (they always fit in 256
     * bytes).
     */
    private static int[][] allocate(Mapping[] ms, TlvMap before) {
        long owned = 0;
        for (Mapping m : ms) {
            owned |= 1L << m.index;
        }
        int[][] out = new int[ms.length][];
        long taken = owned;
        for (int k = 0; before != null && k < ms.length; k++) {
            int[] old = before.extensionOf(ms[k]);
            long bits = 0;
            for (int slot : old == null ? new int[0] : old) {
                bits |= 1L << slot;
            }
            if (old != null && (bits & taken) == 0) {
                out[k] = old;
                taken |= bits;
            }
        }
        int next = MAX_FIELDS - 1;
        for (int k = 0; k < ms.length; k++) {
            if (out[k] != null) {
                continue;
            }
            int n = Math.max(0, ms[k].length / SLOT_BYTES - 1);
            out[k] = new int[n];
            for (int j = 0; j < n; j++) {
                while ((taken & 1L << next) != 0) {
                    next--;
                }
                out[k][j] = next;
                taken |= 1L << next;
            }
        }
        return out;
    }

    /** The extension slots of {@code m} if this map has exactly that mapping, else null. */
    private int[] extensionOf(Mapping m) {
        for (int k = 0; k < mappings.length; k++) {
            if (mappings[k].equals(m)) {
                return extension[k];
            }
        }
        return null;
    }

    /**
     * Every slot of the option {@code tun_metadata<index>} maps, in data order: the slots of its
     * bytes before its last 4, then its own ({@code index}); null if the index is not mapped, and
     * just the own slot for an option of 4 bytes or fewer. A copy.
     */
    public int[] slotsOf(int index) {
        for (int k = 0; k < mappings.length; k++) {
            if (mappings[k].index == index) {
                int[] e = extension[k];
                int[] out = java.util.Arrays.copyOf(e, e.length + 1);
                out[e.length] = index;
                return out;
            }
        }
        return null;
    }

    /**
     * How many slots the option {@code tun_metadata<index>} maps takes ({@link #slotsOf}'s length),
     * 0 if the index is not mapped (no allocation: translation calls it per write).
     */
    public int slotCount(int index) {
        for (int k = 0; k < mappings.length; k++) {
            if (mappings[k].index == index) {
                return extension[k].length + 1;
            }
        }
        return 0;
    }

    /** Slot {@code j} in data order of {@code tun_metadata<index>} ({@code slotsOf(index)[j]}, without a copy). */
    public int slotAt(int index, int j) {
        for (int k = 0; k < mappings.length; k++) {
            if (mappings[k].index == index) {
                return j < extension[k].length ? extension[k][j] : index;
            }
        }
        throw new IllegalArgumentException("tun_metadata" + index + " is not mapped");
    }

    /** True if slot {@code slot} holds bytes of a mapping other than {@code tun_metadata<slot>} (an extension slot). */
    public boolean isExtensionSlot(int slot) {
        for (int[] e : extension) {
            for (int x : e) {
                if (x == slot) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The slots of the {@code k}-th mapping's data before its last 4 bytes (which are in slot
     * {@code get(k).index()}), in data order; empty for a mapping of 4 bytes or fewer. Not to be
     * written (no copy: an upcall calls it).
     */
    int[] extensionSlots(int k) {
        return extension[k];
    }

    /** The position {@code k} of the mapping of this option, or -1 (no allocation: an upcall calls it). */
    public int find(int optionClass, int type, int length) {
        for (int k = 0; k < mappings.length; k++) {
            Mapping m = mappings[k];
            if (m.optionClass == optionClass && m.type == type && m.length == length) {
                return k;
            }
        }
        return -1;
    }

    /** The data length of the option {@code tun_metadata<index>} maps, or -1 if it is not mapped. */
    public int lengthOf(int index) {
        for (Mapping m : mappings) {
            if (m.index == index) {
                return m.length;
            }
        }
        return -1;
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
     *                                  mapped, a length not a multiple of 4 up to 124, more than
     *                                  256 bytes in all
     */
    public TlvMap add(List<Mapping> added) {
        List<Mapping> next = new ArrayList<>(List.of(mappings));
        for (Mapping a : added) {
            if (a.length % SLOT_BYTES != 0 || a.length > MAX_OPTION_LENGTH) {
                throw new TlvMapException(TlvMapException.Reason.BAD_OPT_LEN, "tlv mapping " + a
                        + ": len must be a multiple of 4 up to " + MAX_OPTION_LENGTH);
            }
            if (a.index < 0 || a.index >= MAX_FIELDS) {
                throw new IllegalArgumentException("tlv mapping " + a + ": index out of range 0.." + (MAX_FIELDS - 1));
            }
            int space = a.length;
            int slots = slots(a);
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
                slots += slots(m);
            }
            if (space > MAX_OPTION_SPACE) {
                throw new TlvMapException(TlvMapException.Reason.TABLE_FULL, "tlv mapping " + a + ": " + space
                        + " bytes of options exceed the option space of " + MAX_OPTION_SPACE);
            }
            if (slots > MAX_FIELDS) {
                // Only with options of length 0, each of which still owns its slot.
                throw new TlvMapException(TlvMapException.Reason.TABLE_FULL, "tlv mapping " + a
                        + ": the options need " + slots + " slots of 4 bytes, more than " + MAX_FIELDS);
            }
            next.add(a);
        }
        return of(next, this);
    }

    /**
     * This map without the mappings of {@code indices} (OVS's {@code NXTTMC_DELETE} as the
     * OpenFlow channel carries it: by index, an index not mapped ignored).
     */
    public TlvMap deleteIndices(List<Integer> indices) {
        List<Mapping> next = new ArrayList<>(List.of(mappings));
        next.removeIf(m -> indices.contains(m.index));
        return of(next, this);
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
        return of(next, this);
    }

    private static TlvMap of(List<Mapping> list, TlvMap before) {
        list.sort(Comparator.comparingInt(Mapping::index));
        return list.isEmpty() ? EMPTY : new TlvMap(list.toArray(new Mapping[0]), before);
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
