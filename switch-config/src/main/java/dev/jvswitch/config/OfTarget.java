package dev.jvswitch.config;

import java.util.Locale;

/**
 * One OpenFlow connection target of a bridge, written as OVS writes them: {@code tcp:IP[:PORT]}
 * and {@code unix:PATH} for a controller the switch connects to ({@code controller}), and
 * {@code ptcp:[PORT][:IP]} and {@code punix:PATH} for a socket it listens on ({@code listen}),
 * such as OVS's management socket {@code punix:RUNDIR/BRIDGE.mgmt} that {@code ovs-ofctl BRIDGE}
 * finds.
 *
 * <p>A passive TCP target listens on loopback unless its address is given: exposing a switch's
 * tables to the network is a choice the file must spell out ({@code ptcp:6653:0.0.0.0}).
 *
 * @param kind how to connect
 * @param host an IP address (TCP kinds), else null
 * @param port a TCP port (0 for {@code ptcp:0}: any free port), else 0
 * @param path an absolute socket path (Unix kinds), else null
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record OfTarget(Kind kind, String host, int port, String path) {
    /** The IANA port for OpenFlow, OVS's default for {@code tcp:} and {@code ptcp:}. */
    public static final int DEFAULT_PORT = 6653;

    /** Connection kinds. */
    public enum Kind {
        TCP("tcp", true), UNIX("unix", true), PTCP("ptcp", false), PUNIX("punix", false);

        private final String prefix;
        private final boolean active;

        Kind(String prefix, boolean active) {
            this.prefix = prefix;
            this.active = active;
        }

        public String prefix() {
            return prefix;
        }

        /** True for targets the switch connects to; false for those it listens on. */
        public boolean isActive() {
            return active;
        }
    }

    /**
     * Parses {@code text}; {@code active} says which kinds are wanted (controller: tcp, unix;
     * listen: ptcp, punix). A relative Unix path is resolved by {@code resolve}.
     *
     * @throws IllegalArgumentException a one-line reason
     */
    public static OfTarget parse(String text, boolean active, java.util.function.UnaryOperator<String> resolve) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String prefix = colon < 0 ? t : t.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : t.substring(colon + 1);
        String expected = active ? "tcp:IP[:PORT] or unix:PATH" : "ptcp:[PORT][:IP] or punix:PATH";
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.prefix.equals(prefix) && k.active == active) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("expected " + expected + ", got '" + text + "'");
        }
        switch (kind) {
            case UNIX, PUNIX -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException(kind.prefix + ": needs a socket path, got '" + text + "'");
                }
                String path = resolve.apply(rest);
                int bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes > ControlSettings.MAX_SOCKET_PATH_BYTES) {
                    throw new IllegalArgumentException("path " + path + " is " + bytes + " bytes; a Unix socket path"
                            + " may have at most " + ControlSettings.MAX_SOCKET_PATH_BYTES);
                }
                return new OfTarget(kind, null, 0, path);
            }
            case TCP -> {
                int c = rest.lastIndexOf(':');
                boolean bracketed = rest.startsWith("[");
                String host = rest;
                int port = DEFAULT_PORT;
                if (bracketed) {
                    int end = rest.indexOf(']');
                    if (end < 0) {
                        throw new IllegalArgumentException("tcp: unclosed '[' in '" + text + "'");
                    }
                    host = rest.substring(1, end);
                    if (end + 1 < rest.length()) {
                        port = port(rest.substring(end + 1).replaceFirst("^:", ""), text, false);
                    }
                } else if (c >= 0) {
                    host = rest.substring(0, c);
                    port = port(rest.substring(c + 1), text, false);
                }
                return new OfTarget(kind, address(host, text), port, null);
            }
            default -> {
                // ptcp:[PORT][:IP]
                String portText = rest;
                String host = "127.0.0.1";
                int c = rest.indexOf(':');
                if (c >= 0) {
                    portText = rest.substring(0, c);
                    host = address(rest.substring(c + 1).replace("[", "").replace("]", ""), text);
                }
                int port = portText.isEmpty() ? DEFAULT_PORT : port(portText, text, true);
                return new OfTarget(kind, host, port, null);
            }
        }
    }

    private static int port(String s, String text, boolean zeroOk) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < (zeroOk ? 0 : 1) || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad TCP port '" + s + "' in '" + text + "' (1..65535)");
        }
    }

    /** A literal IPv4 or IPv6 address (no names: a switch must not wait for DNS to start). */
    private static String address(String s, String text) {
        String h = s.trim();
        if (h.isEmpty() || !(h.matches("[0-9.]+") || h.contains(":"))) {
            throw new IllegalArgumentException("expected an IP address in '" + text + "', got '" + s + "'");
        }
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(h);
            return a.getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("expected an IP address in '" + text + "', got '" + s + "'");
        }
    }

    /** As OVS prints it: {@code tcp:127.0.0.1:6653}, {@code ptcp:6634:127.0.0.1}, {@code punix:/run/br0.mgmt}. */
    @Override
    public String toString() {
        String h = host != null && host.contains(":") ? "[" + host + "]" : host;
        return switch (kind) {
            case TCP -> "tcp:" + h + ":" + port;
            case PTCP -> "ptcp:" + port + ":" + h;
            case UNIX, PUNIX -> kind.prefix + ":" + path;
        };
    }
}
