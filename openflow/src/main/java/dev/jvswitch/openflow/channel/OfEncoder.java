package dev.jvswitch.openflow.channel;

import org.projectfloodlight.openflow.protocol.OFMessage;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes openflowj messages; hand-made frames ({@link OfWire}) pass through as bytes. Stateless, shared. */
@ChannelHandler.Sharable
final class OfEncoder extends MessageToByteEncoder<OFMessage> {
    static final OfEncoder INSTANCE = new OfEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage msg, ByteBuf out) {
        msg.writeTo(out);
    }
}
