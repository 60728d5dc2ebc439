package dev.jvswitch.ofproto.tnl;

import java.util.function.Supplier;

/**
 * The TLV map a parse or a print of {@code tun_metadataN} goes through, for the length of a call
 * ({@link #with}): the flow text and the OpenFlow codec read and write a longer option's field
 * whole through it, as OVS's decoders and formatters take the switch's map. Outside a call
 * it is {@link TlvMap#EMPTY}: every {@code tun_metadataN} is its own 32 bits.
 *
 * <p><b>Thread-safety:</b> the map in effect is the calling thread's; a parse or a print never
 * leaves its thread. Not for the data path.
 */
public final class TlvMapScope {
    private static final ThreadLocal<TlvMap> MAP = new ThreadLocal<>();

    private TlvMapScope() {
    }

    /** Runs {@code body} with {@code map} in effect on this thread. */
    public static <T> T with(TlvMap map, Supplier<T> body) {
        TlvMap old = MAP.get();
        MAP.set(map);
        try {
            return body.get();
        } finally {
            if (old == null) {
                MAP.remove();
            } else {
                MAP.set(old);
            }
        }
    }

    /** Runs {@code body} with {@code map} in effect on this thread. */
    public static void run(TlvMap map, Runnable body) {
        with(map, () -> {
            body.run();
            return null;
        });
    }

    /** The map in effect ({@link TlvMap#EMPTY} outside {@link #with}). */
    public static TlvMap current() {
        TlvMap m = MAP.get();
        return m == null ? TlvMap.EMPTY : m;
    }

    /**
     * Lays the data of {@code tun_metadata<index>}, an option of {@code map.lengthOf(index)}
     * bytes, into the key's slots: for each slot (in data order) its 32 bits of {@code value} and
     * {@code mask} (big-endian, right-aligned to the option's length) go to {@code slotSink}.
     */
    public static void lay(TlvMap map, int index, byte[] value, byte[] mask, SlotSink slotSink) {
        int length = map.lengthOf(index);
        int n = map.slotCount(index);
        for (int j = 0; j < n; j++) {
            slotSink.accept(map.slotAt(index, j), int32(value, 4 * j - (length - value.length)),
                    int32(mask, 4 * j - (length - mask.length)));
        }
    }

    /** Where {@link #lay} puts a slot's 32 bits. */
    @FunctionalInterface
    public interface SlotSink {
        void accept(int slot, long value, long mask);
    }

    /** The 32 bits at {@code at} of {@code b}, bytes before 0 or past the end read as 0. */
    private static long int32(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int k = at + i;
            v = v << 8 | (k >= 0 && k < b.length ? b[k] & 0xff : 0);
        }
        return v;
    }
}
