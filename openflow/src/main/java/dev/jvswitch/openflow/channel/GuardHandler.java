package dev.jvswitch.openflow.channel;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import dev.jvswitch.config.listen.ConnectionGuard;

/**
 * A listener's {@link ConnectionGuard} rules for Netty: one instance per listening socket, in the
 * pipeline of every connection it accepts (to admit, touch and release them) and of the
 * listening channel itself (to see accept failures, which never close the listener: the guard
 * closes the longest idle client to free a descriptor, else Netty's acceptor pauses and retries).
 * A timer on the event loop expires idle connections once a second.
 *
 * <p><b>Thread-safety:</b> the guard is not thread-safe; the listener and all its connections
 * live on one event loop (the channel group has one thread), so every call is made there.
 */
@ChannelHandler.Sharable
final class GuardHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionGuard<Channel> guard;
    private ScheduledFuture<?> expiry;

    GuardHandler(ConnectionGuard<Channel> guard) {
        this.guard = guard;
    }

    ConnectionGuard<Channel> guard() {
        return guard;
    }

    /** Starts the idle sweep on the listener's event loop. */
    void start(Channel listener) {
        expiry = listener.eventLoop().scheduleAtFixedRate(() -> guard.expire(System.nanoTime(), Channel::close), 1, 1,
                TimeUnit.SECONDS);
    }

    void stop() {
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().parent() == null) {
            ctx.fireChannelActive();
            return;
        }
        if (guard.admit(ctx.channel(), System.nanoTime(), Channel::close) == ConnectionGuard.Admission.REFUSED) {
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel().parent() != null) {
            guard.touch(ctx.channel(), System.nanoTime());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().parent() != null) {
            guard.release(ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().parent() == null && cause instanceof Exception e) {
            // The listening socket: accept failed. It stays open whatever happens here.
            guard.onAcceptFailed(e, System.nanoTime(), Channel::close);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
