package dev.jvswitch.openflow.channel;

import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes openflowj messages; hand-made frames ({@link OfWire}) pass through as bytes. A flow stats
 * reply's {@code fin_timeout} stand-ins become {@code NXAST_FIN_TIMEOUT} as written
 * ({@code codec.NxFinTimeoutWire}). Stateless, shared.
 */
@ChannelHandler.Sharable
final class OfEncoder extends MessageToByteEncoder<OFMessage> {
    static final OfEncoder INSTANCE = new OfEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, OFMessage msg, ByteBuf out) {
        int at = out.writerIndex();
        msg.writeTo(out);
        if (msg instanceof OFFlowStatsReply) {
            dev.jvswitch.openflow.codec.NxFinTimeoutWire.fromStandInsInReply(out, at);
        }
    }
}
