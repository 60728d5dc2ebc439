package dev.jvswitch.openflow;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A blocking OpenFlow client for tests, on the same codec as the switch: sends messages (or raw
 * bytes, for malformed ones), reads whole messages with a timeout. After {@link #connect} the
 * HELLO exchange is done.
 */
public final class OfTestClient implements AutoCloseable {
    public final OFFactory f;
    private final java.io.Closeable socket;
    private final DataInputStream in;
    private final OutputStream out;

    private OfTestClient(Socket socket, OFVersion v) throws IOException {
        this.socket = socket;
        this.f = OFFactories.getFactory(v);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    private OfTestClient(java.nio.channels.SocketChannel ch, OFVersion v) {
        this.socket = ch;
        this.f = OFFactories.getFactory(v);
        this.in = new DataInputStream(java.nio.channels.Channels.newInputStream(ch));
        this.out = java.nio.channels.Channels.newOutputStream(ch);
    }

    /** Connects over a Unix socket at {@code path}, exchanges HELLOs at {@code v}. */
    public static OfTestClient connect(java.nio.file.Path path, OFVersion v) throws IOException {
        java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        ch.connect(java.net.UnixDomainSocketAddress.of(path));
        OfTestClient c = new OfTestClient(ch, v);
        c.send(c.f.buildHello().setXid(1).build());
        byte[] hello = c.readRaw();
        if (hello == null || hello[1] != 0) {
            throw new IOException("no HELLO from the switch");
        }
        return c;
    }

    /** Connects, exchanges HELLOs at {@code v}, and returns the client. */
    public static OfTestClient connect(int port, OFVersion v) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        OfTestClient c = new OfTestClient(s, v);
        c.send(c.f.buildHello().setXid(1).build());
        byte[] hello = c.readRaw();
        if (hello == null || hello[1] != 0) {
            throw new IOException("no HELLO from the switch");
        }
        return c;
    }

    public void send(OFMessage m) throws IOException {
        ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        out.write(bytes);
    }

    /** Sends many messages in one write (throughput tests). */
    public void sendAll(Iterable<? extends OFMessage> ms) throws IOException {
        ByteBuf b = Unpooled.buffer(1 << 16);
        for (OFMessage m : ms) {
            m.writeTo(b);
            if (b.readableBytes() > (1 << 16)) {
                out.write(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
                b.clear();
            }
        }
        out.write(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** The next message's bytes, or null at end of stream. */
    public byte[] readRaw() throws IOException {
        byte[] head = new byte[8];
        try {
            in.readFully(head);
        } catch (java.io.EOFException e) {
            return null;
        }
        int len = ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        byte[] all = new byte[len];
        System.arraycopy(head, 0, all, 0, 8);
        in.readFully(all, 8, len - 8);
        return all;
    }

    /** The next message, decoded; null at end of stream. */
    public OFMessage read() throws IOException {
        byte[] raw = readRaw();
        if (raw == null) {
            return null;
        }
        try {
            return OFFactories.getGenericReader().readFrom(Unpooled.wrappedBuffer(raw));
        } catch (org.projectfloodlight.openflow.exceptions.OFParseError e) {
            throw new IOException(e);
        }
    }

    /** True if the switch closed the connection within the read timeout. */
    public boolean closedBySwitch() throws IOException {
        try {
            while (readRaw() != null) {
                // drain what came before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        // closes the socket or channel
        socket.close();
    }
}
