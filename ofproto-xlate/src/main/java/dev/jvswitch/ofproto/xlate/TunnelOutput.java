package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.ofproto.bridge.OfPort;

/**
 * The hook for output to a tunnel port (the VXLAN issue implements it): called for every output
 * to a non-patch port before the plain {@code output}. An implementation that recognises
 * {@code port} as a tunnel commits the pending field changes it wants
 * ({@link XlateContext#commit()}), reads the tunnel metadata from {@link XlateContext#flow()}
 * ({@code tun_id}, {@code tun_dst}, ... as {@code set_tunnel}/{@code set_field} left them),
 * unwildcards what it read, emits {@code tnl_push} through {@link XlateContext#actions()} and
 * returns true. Returning false lets translation emit a plain output to the port's datapath port.
 *
 * <p><b>Thread-safety:</b> called by every PMD thread during translation.
 */
@FunctionalInterface
public interface TunnelOutput {
    /** No tunnel ports. */
    TunnelOutput NONE = (ctx, port) -> false;

    /** @return true if {@code port} is a tunnel and the output has been emitted */
    boolean onOutput(XlateContext ctx, OfPort port);
}
