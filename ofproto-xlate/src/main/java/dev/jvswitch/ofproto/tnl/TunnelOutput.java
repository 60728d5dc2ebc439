package dev.jvswitch.ofproto.tnl;

import dev.jvswitch.ofproto.bridge.OfPort;

/**
 * The hook for output to a tunnel port: translation calls it for every output to a non-patch
 * port before it emits a plain {@code output}. An implementation that recognises {@code port} as
 * a tunnel commits the pending field changes it wants ({@link TunnelContext#commit()}), reads the
 * tunnel metadata from {@link TunnelContext#flow()} ({@code tun_id}, {@code tun_dst}, ... as
 * {@code set_tunnel}/{@code set_field} left them), unwildcards what it read in
 * {@link TunnelContext#wc()}, emits {@code tnl_push} through {@link TunnelContext#actions()} and
 * returns true. Returning false lets translation emit a plain output to the port's datapath port.
 *
 * <p><b>Thread-safety:</b> called by every PMD thread during translation; implementations must be
 * safe to call concurrently and must not block.
 */
@FunctionalInterface
public interface TunnelOutput {
    /** No tunnel ports. */
    TunnelOutput NONE = (ctx, port) -> false;

    /** @return true if {@code port} is a tunnel and the output has been emitted */
    boolean onOutput(TunnelContext ctx, OfPort port);
}
