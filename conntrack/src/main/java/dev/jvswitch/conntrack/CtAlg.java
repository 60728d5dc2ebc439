package dev.jvswitch.conntrack;

/**
 * The helpers a {@code ct} action may name ({@code alg=ftp} in OpenFlow, {@code helper=ftp} in
 * the datapath action), as OVS's userspace conntrack has them: FTP over TCP and TFTP over UDP.
 * A helper named for the other protocol does nothing, as OVS's {@code ct_verify_helper}.
 */
public final class CtAlg {
    public static final int NONE = 0;
    public static final int FTP = 1;
    public static final int TFTP = 2;

    private CtAlg() {
    }

    /** The helper called {@code name} ({@code ftp}, {@code tftp}), or -1. */
    public static int byName(String name) {
        return switch (name) {
            case "ftp" -> FTP;
            case "tftp" -> TFTP;
            default -> -1;
        };
    }

    /** OVS's name of {@code helper}; null for {@link #NONE}. */
    public static String name(int helper) {
        return switch (helper) {
            case FTP -> "ftp";
            case TFTP -> "tftp";
            default -> null;
        };
    }

    /** The helper that applies to a packet of {@code proto} when the action names {@code helper}. */
    static int forProto(int helper, int proto) {
        if (helper == FTP && proto == CtPacket.TCP || helper == TFTP && proto == CtPacket.UDP) {
            return helper;
        }
        return NONE;
    }
}
