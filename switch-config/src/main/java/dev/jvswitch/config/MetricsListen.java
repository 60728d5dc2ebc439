package dev.jvswitch.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code control.metrics-listen} address: {@code IP:PORT}, {@code [IPv6]:PORT}, or a bare
 * {@code PORT}, which means the loopback address (the metrics are not for the network unless the
 * file says so). Only IP literals: a host name would make the address depend on the resolver at
 * start.
 */
public final class MetricsListen {
    private static final Pattern FORM = Pattern.compile("(?:(\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?([0-9]{1,5})");

    private MetricsListen() {
    }

    /** The canonical {@code IP:PORT} text of {@code text}, or null when it is no such address. */
    public static String normalise(String text) {
        InetSocketAddress a = parse(text);
        if (a == null) {
            return null;
        }
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The socket address of {@code text}, or null when it is no such address. */
    public static InetSocketAddress parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65_535) {
            return null;
        }
        String host = m.group(1) == null ? "127.0.0.1" : m.group(1).replace("[", "").replace("]", "");
        if (host.indexOf(':') < 0 && !host.matches("(\\d{1,3})(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            // A literal: getByName parses it without asking a resolver.
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }
}
