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
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.ControlSettings;
import dev.jvswitch.config.yaml.YamlConfigLoader;
import dev.jvswitch.vswitchd.control.Version;
import dev.jvswitch.vswitchd.control.CommandKind;
import dev.jvswitch.vswitchd.control.ControlProtocol;
import dev.jvswitch.vswitchd.control.Json;

/**
 * {@code jvsctl [--socket PATH | --config FILE] [--json] [--timeout SECONDS] COMMAND [ARGS...]}:
 * sends one command to jvswitchd's control socket and prints the answer (as {@code ovs-appctl}
 * does). The socket is {@code --socket}, else the {@code control.socket} of {@code --config},
 * else the default {@value ControlSettings#DEFAULT_SOCKET}. With {@code --json} the answer is
 * printed as one JSON document (the command's data, or {@code {"output": TEXT}}).
 *
 * <p>{@code --help} prints jvsctl's options and the daemon's commands (its {@code list-commands},
 * or the names of the commands this build knows when no daemon answers); {@code COMMAND --help}
 * the daemon's usage line of that command; {@code --version} the version. The options are parsed
 * by picocli ({@link JvsctlCli}).
 *
 * <p>Exit status: 0 success; 1 the command failed or the daemon cannot be reached; 2 a usage
 * mistake (here, or an unknown command or bad arguments as judged by the daemon). Errors are one
 * line on stderr.
 */
public final class Jvsctl {
    static final int DEFAULT_TIMEOUT_S = 120;
    /** First character of {@link #daemonCommands}: the list came from the daemon, or not. */
    private static final String DAEMON_LIST = "+";
    private static final String STATIC_LIST = "-";
    /** How long {@code --help} waits for the daemon's command list. */
    static final long HELP_TIMEOUT_MS = 2_000;
    static final String USAGE = "usage: jvsctl [--socket PATH | --config FILE] [--json] [--timeout SECONDS]"
            + " COMMAND [ARGS...]   ('jvsctl list-commands' lists the commands)";

    private Jvsctl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one invocation; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        JvsctlCli.Options o;
        try {
            JvsctlCli.Parsed parsed = JvsctlCli.parse(args);
            if (parsed instanceof JvsctlCli.Help h) {
                JvsctlCli.printHelp(h.commandLine(), out, daemonCommands(h.socket(), h.config()).substring(1));
                return 0;
            }
            if (parsed instanceof JvsctlCli.VersionAsked v) {
                v.commandLine().printVersionHelp(out);
                out.flush();
                return 0;
            }
            o = ((JvsctlCli.Run) parsed).options();
        } catch (NumberFormatException e) {
            err.println("jvsctl: --timeout needs a number of seconds");
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("jvsctl: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String socket = o.socket();
        String config = o.config();
        if (o.args().size() == 1 && (o.args().get(0).equals("--help") || o.args().get(0).equals("-h"))) {
            out.print(commandHelp(o.command(), daemonCommands(socket, config)));
            out.flush();
            return 0;
        }
        if (config != null && !Files.isRegularFile(Path.of(config))) {
            err.println("jvsctl: --config " + config + ": no such file");
            return 2;
        }
        String path = socket != null ? socket
                : config != null ? YamlConfigLoader.socketOf(Path.of(config)) : ControlSettings.DEFAULT_SOCKET;
        String request = ControlProtocol.request(o.command(), o.args());
        String line;
        try {
            line = exchange(Path.of(path), request, o.timeoutS() * 1000L);
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
        if (o.json()) {
            out.println(Json.write(r.data() != null ? r.data() : Map.of("output", r.output())));
        } else {
            out.print(r.output());
        }
        out.flush();
        return 0;
    }

    /**
     * The running daemon's commands (its {@code list-commands}), or, when no daemon answers
     * within a few seconds, the names of the commands this jvsctl knows; the first character
     * says which ({@link #DAEMON_LIST} or {@link #STATIC_LIST}).
     */
    static String daemonCommands(String socket, String config) {
        String path = socketPath(socket, config);
        try {
            ControlProtocol.Response r = ControlProtocol.parseResponse(
                    exchange(Path.of(path), ControlProtocol.request("list-commands", List.of()), HELP_TIMEOUT_MS));
            if (r.ok()) {
                return DAEMON_LIST + "The daemon's commands (list-commands of " + path + "):\n" + r.output();
            }
        } catch (IOException | IllegalArgumentException e) {
            // No daemon to ask: the static list below.
        }
        StringBuilder sb = new StringBuilder(STATIC_LIST + "No daemon answers at " + path + "; the commands of jvswitchd "
                + Version.version() + " (with a running daemon, 'jvsctl list-commands' shows their arguments):\n");
        for (String name : CommandKind.names()) {
            sb.append("  ").append(name).append('\n');
        }
        return sb.toString();
    }

    /** {@code COMMAND --help}: the command's lines of {@code commands}, or where to look. */
    static String commandHelp(String command, String commands) {
        StringBuilder sb = new StringBuilder();
        // Only the daemon's list-commands says what arguments a command takes.
        for (String line : commands.startsWith(DAEMON_LIST) ? commands.split("\n") : new String[0]) {
            String t = line.strip();
            if (t.equals(command) || t.startsWith(command + " ")) {
                sb.append("usage: jvsctl [OPTIONS] ").append(t).append('\n');
            }
        }
        if (sb.length() == 0) {
            return "usage: jvsctl [OPTIONS] " + command + " [ARGS...]\n"
                    + (CommandKind.names().contains(command) || commands.contains(command) ? ""
                            : command + " is not a command jvsctl knows; 'jvsctl --help' lists them\n");
        }
        return sb.toString();
    }

    private static String socketPath(String socket, String config) {
        if (socket != null) {
            return socket;
        }
        if (config != null && Files.isRegularFile(Path.of(config))) {
            return YamlConfigLoader.socketOf(Path.of(config));
        }
        return ControlSettings.DEFAULT_SOCKET;
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
