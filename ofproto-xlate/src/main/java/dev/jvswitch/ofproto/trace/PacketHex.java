package dev.jvswitch.ofproto.trace;

/**
 * The packet of {@code ofproto/trace BRIDGE FLOW HEX}: hex text as a user pastes it from a capture
 * (whitespace ignored), turned into bytes. A bad digit or an odd count fails with a message that
 * says where, which the trace command returns to the user.
 */
public final class PacketHex {
    private PacketHex() {
    }

    public static byte[] parse(String text) {
        String s = text.replaceAll("\\s+", "");
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + s.length() + ")");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad hex digit near offset " + (2 * i) + ": '"
                        + s.substring(2 * i, 2 * i + 2) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
