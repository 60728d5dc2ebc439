package dev.jvswitch.pmd.flow;

/**
 * Identifies one installed megaflow across the datapath: the PMD that owns it and the flow's
 * 128-bit ufid (the same megaflow may be installed by several PMDs, as in OVS).
 */
public record UkeyId(int pmdId, long ufidHi, long ufidLo) {
    /** OVS's printed form of the ufid alone, {@code ufid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
    public String ufidString() {
        return String.format("ufid:%08x-%04x-%04x-%04x-%012x",
                ufidHi >>> 32, (ufidHi >>> 16) & 0xffff, ufidHi & 0xffff,
                ufidLo >>> 48, ufidLo & 0xffff_ffff_ffffL);
    }
}
