package dev.jvswitch.vswitchd.ctl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.Reply;

/**
 * One jvsctl exchange with a stand-in daemon, run by the build under
 * {@code -XX:ArchiveClassesAtExit}: the classes a plain jvsctl call loads (its argument reader,
 * Jackson's parser and generator, the socket) go into {@code target/jvsctl.jsa}, which
 * {@code bin/jvsctl} maps at start (class data sharing). That archive brings a call's CPU time
 * back to what it was before Jackson; the JVM ignores it, silently with the launcher's flags,
 * when the jar or the JVM changed since.
 */
public final class JvsctlTraining {
    private JvsctlTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jvsctl-training");
        Path socket = dir.resolve("ctl.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread daemon = new Thread(() -> answer(server, 2), "stand-in daemon");
            daemon.start();
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            int a = Jvsctl.run(new String[] {"--socket", socket.toString(), "--json", "dpctl/dump-flows", "-m"},
                    discard, discard);
            int b = Jvsctl.run(new String[] {"--socket", socket.toString(), "dpctl/dump-flows"}, discard, discard);
            daemon.join(10_000);
            if (a != 0 || b != 0) {
                throw new IllegalStateException("training exchange failed: " + a + ", " + b);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void answer(ServerSocketChannel server, int count) {
        String reply = ControlProtocol.success(Reply.of("flow 1\n", Map.of("flows", List.of(1L, 2.5, "x")))) + "\n";
        for (int i = 0; i < count; i++) {
            try (SocketChannel c = server.accept()) {
                Jvsctl.readLine(c, 10_000);
                c.configureBlocking(true);
                Jvsctl.writeAll(c, reply.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
