package dev.jvswitch.bench.l2fwd;

import java.util.Locale;

/** What a {@link Forwarder} does between receiving on one port and sending on the other. */
public enum FwdMode {
    /** Port 1 ↔ port 2 with no classification ({@code dpdk-testpmd --forward-mode=io}). */
    IO,
    /** The full PMD pipeline: parse, EMC, dpcls, upcall, execute, with in_port 1→2 and 2→1 rules. */
    SWITCH;

    /** The name on the command line and in output: {@code io} or {@code switch}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code label}, or {@code null}. */
    public static FwdMode of(String label) {
        for (FwdMode m : values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        return null;
    }
}
