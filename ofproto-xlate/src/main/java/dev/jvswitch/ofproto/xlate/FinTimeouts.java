package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.ofproto.table.Rule;

/**
 * The {@code fin_timeout}s a translation ran (OVS's {@code XC_FIN_TIMEOUT} cache entries), packed
 * one per {@code long} beside the translation's rule list: the index of the rule that holds the
 * action in that list, and the timeouts to lower it to once a FIN or RST passes. A ukey keeps the
 * array with its rules; the revalidators apply it whenever the megaflow's pushed statistics carry
 * a FIN or RST ({@link #onTcpFlags}), so a FIN that hits an installed megaflow lowers the rule as
 * one that missed does. Packed so that installing a flow costs one small array at most.
 *
 * <pre>
 *  63          32 31        16 15         0
 *  | rule index  | idle (s)   | hard (s)   |    0 for a timeout: leave it alone
 * </pre>
 */
public final class FinTimeouts {
    /** The TCP flags that end a connection: FIN (0x01) and RST (0x04), as in {@code tcp_flags}. */
    public static final int FIN_OR_RST = 0x01 | 0x04;
    /** No entries (shared). */
    public static final long[] NONE = new long[0];

    private FinTimeouts() {
    }

    static long pack(int ruleIndex, int idleTimeout, int hardTimeout) {
        return (long) ruleIndex << 32 | (long) idleTimeout << 16 | hardTimeout;
    }

    /** The entry's rule: its index in the translation's rule list. */
    public static int ruleIndex(long entry) {
        return (int) (entry >>> 32);
    }

    public static int idleTimeout(long entry) {
        return (int) (entry >>> 16) & 0xffff;
    }

    public static int hardTimeout(long entry) {
        return (int) entry & 0xffff;
    }

    /**
     * Lowers the rules of {@code entries} (indexes into {@code rules}) if {@code tcpFlags} (seen
     * on the flow's packets) hold FIN or RST.
     */
    public static void onTcpFlags(List<Rule> rules, long[] entries, int tcpFlags) {
        if ((tcpFlags & FIN_OR_RST) == 0) {
            return;
        }
        for (long e : entries) {
            rules.get(ruleIndex(e)).reduceTimeouts(idleTimeout(e), hardTimeout(e));
        }
    }
}
