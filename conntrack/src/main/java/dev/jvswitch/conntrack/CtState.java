package dev.jvswitch.conntrack;

/**
 * The {@code ct_state} bits a packet carries after {@code ct}, with OVS's values and names
 * ({@code CS_*} in OVS's {@code packets.h}), so that the flow key, the megaflow printer and the
 * OpenFlow syntax agree on them.
 */
public final class CtState {
    public static final int NEW = 0x01;
    public static final int EST = 0x02;
    public static final int REL = 0x04;
    public static final int RPL = 0x08;
    public static final int INV = 0x10;
    public static final int TRK = 0x20;
    public static final int SNAT = 0x40;
    public static final int DNAT = 0x80;
    /** Every bit OVS defines. */
    public static final int ALL = 0xff;

    private static final String[] NAMES = {"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat"};

    private CtState() {
    }

    /** The name of the single bit {@code bit} ({@code new}, {@code est}, ...). */
    public static String name(int bit) {
        return NAMES[Integer.numberOfTrailingZeros(bit)];
    }

    /** The bit called {@code name}, or 0 when there is none. */
    public static int bit(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** Number of defined bits (8). */
    public static int bits() {
        return NAMES.length;
    }
}
