package dev.jvswitch.vswitchd.ctl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.Json;

/**
 * {@code jvsctl [--socket PATH | --config FILE] [--json] [--timeout SECONDS] COMMAND [ARGS...]}:
 * sends one command to jvswitchd's control socket and prints the answer (as {@code ovs-appctl}
 * does). The socket is {@code --socket}, else the {@code control.socket} of {@code --config},
 * else the default {@value ControlSettings#DEFAULT_SOCKET}. With {@code --json} the answer is
 * printed as one JSON document (the command's data, or {@code {"output": TEXT}}).
 *
 * <p>Exit status: 0 success; 1 the command failed or the daemon cannot be reached; 2 a usage
 * mistake (here, or an unknown command or bad arguments as judged by the daemon). Errors are one
 * line on stderr.
 */
public final class Jvsctl {
    static final int DEFAULT_TIMEOUT_S = 120;
    private static final String USAGE = "usage: jvsctl [--socket PATH | --config FILE] [--json] [--timeout SECONDS]"
            + " COMMAND [ARGS...]   ('jvsctl list-commands' lists the commands)";

    private Jvsctl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one invocation; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String socket = null;
        String config = null;
        boolean json = false;
        int timeoutS = DEFAULT_TIMEOUT_S;
        int i = 0;
        try {
            for (; i < args.length && args[i].startsWith("-"); i++) {
                switch (args[i]) {
                    case "--socket" -> socket = value(args, ++i, "--socket");
                    case "--config" -> config = value(args, ++i, "--config");
                    case "--json" -> json = true;
                    case "--timeout" -> timeoutS = Integer.parseInt(value(args, ++i, "--timeout"));
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (socket != null && config != null) {
                throw new IllegalArgumentException("give --socket or --config, not both");
            }
            if (i >= args.length) {
                throw new IllegalArgumentException("no command given");
            }
            if (timeoutS < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
        } catch (NumberFormatException e) {
            err.println("jvsctl: --timeout needs a number of seconds");
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("jvsctl: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (config != null && !Files.isRegularFile(Path.of(config))) {
            err.println("jvsctl: --config " + config + ": no such file");
            return 2;
        }
        String path = socket != null ? socket
                : config != null ? YamlConfigLoader.socketOf(Path.of(config)) : ControlSettings.DEFAULT_SOCKET;
        List<String> rest = new ArrayList<>(List.of(args).subList(i + 1, args.length));
        String request = ControlProtocol.request(args[i], rest);
        String line;
        try {
            line = exchange(Path.of(path), request, timeoutS * 1000L);
        } catch (IOException e) {
            err.println("jvsctl: " + e.getMessage());
            return 1;
        }
        ControlProtocol.Response r;
        try {
            r = ControlProtocol.parseResponse(line);
        } catch (IllegalArgumentException e) {
            err.println("jvsctl: " + path + " answered something that is not a jvswitchd response");
            return 1;
        }
        if (!r.ok()) {
            err.println("jvsctl: " + r.error());
            return r.usage() ? 2 : 1;
        }
        if (json) {
            out.println(Json.write(r.data() != null ? r.data() : Map.of("output", r.output())));
        } else {
            out.print(r.output());
        }
        out.flush();
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Sends {@code request} and reads the one-line answer, within {@code timeoutMs}. */
    static String exchange(Path socket, String request, long timeoutMs) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException("cannot connect to " + socket + ": no such socket (is jvswitchd running? "
                    + "give --socket PATH or --config FILE)");
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("cannot connect to " + socket + ": " + e.getMessage()
                        + " (is jvswitchd running?)");
            }
            writeAll(c, (request + "\n").getBytes(StandardCharsets.UTF_8));
            String answer;
            try {
                answer = readLine(c, timeoutMs);
            } catch (SocketTimeoutException e) {
                throw new IOException("no answer from " + socket + " within " + timeoutMs / 1000 + " s");
            }
            if (answer == null) {
                throw new IOException(socket + " closed the connection without an answer");
            }
            return answer;
        }
    }

    /** Writes all of {@code bytes} to the blocking channel {@code c}: a request, newline included. */
    public static void writeAll(SocketChannel c, byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            c.write(out);
        }
    }

    /**
     * Reads the daemon's one-line answer from {@code c} (switched to non-blocking) within
     * {@code timeoutMs}: the line without its newline, or {@code null} if the daemon closed the
     * connection before ending a line.
     *
     * @throws SocketTimeoutException if no line ended within {@code timeoutMs}
     */
    public static String readLine(SocketChannel c, long timeoutMs) throws IOException {
        c.configureBlocking(false);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        try (Selector sel = Selector.open()) {
            c.register(sel, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer within " + timeoutMs + " ms");
                }
                sel.select(left);
                sel.selectedKeys().clear();
                int n = c.read(buf);
                if (n > 0) {
                    // Only the last byte read can end the line: no copy of the answer so far
                    // per read (a dump of a million flows is one long line).
                    boolean end = buf.get(buf.position() - 1) == '\n';
                    answer.write(buf.array(), 0, buf.position() - (end ? 1 : 0));
                    buf.clear();
                    if (end) {
                        return answer.toString(StandardCharsets.UTF_8);
                    }
                } else if (n < 0) {
                    return null;
                }
            }
        }
    }
}
