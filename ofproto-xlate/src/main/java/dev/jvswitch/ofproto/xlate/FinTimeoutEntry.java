package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.ofproto.table.Rule;

/**
 * A {@code fin_timeout} a translation ran (OVS's {@code XC_FIN_TIMEOUT} cache entry): the rule
 * that holds it and the timeouts to lower that rule's to once a FIN or RST passes. The upcall
 * applies it for the packet it translates; the revalidators apply it whenever the megaflow's
 * pushed statistics carry a FIN or RST ({@link #onTcpFlags}), so a FIN that hits an installed
 * megaflow shortens the rule as one that missed does.
 *
 * @param rule        the rule whose actions hold the {@code fin_timeout}
 * @param idleTimeout seconds, 0: leave the idle timeout alone
 * @param hardTimeout seconds, 0: leave the hard timeout alone
 *
 * <p><b>Thread-safety:</b> immutable; {@link #onTcpFlags} writes the rule's thread-safe stats.
 */
public record FinTimeoutEntry(Rule rule, int idleTimeout, int hardTimeout) {
    /** The TCP flags that end a connection: FIN (0x01) and RST (0x04), as in {@code tcp_flags}. */
    public static final int FIN_OR_RST = 0x01 | 0x04;

    /** Lowers the rule's timeouts if {@code tcpFlags} (seen on the flow's packets) hold FIN or RST. */
    public void onTcpFlags(int tcpFlags) {
        if ((tcpFlags & FIN_OR_RST) != 0) {
            rule.reduceTimeouts(idleTimeout, hardTimeout);
        }
    }
}
