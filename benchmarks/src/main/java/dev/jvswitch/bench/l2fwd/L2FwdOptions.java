package dev.jvswitch.bench.l2fwd;

import java.util.List;
import java.util.Set;

import dev.jvswitch.bench.cli.Args;

/**
 * The command line of {@code jvs-bench l2fwd}, checked before anything is opened:
 * {@code --port IFNAME --port IFNAME [--port-type afpacket|afxdp] [--xdp-mode MODE] [--mode
 * io|switch] [--seconds S] [--pmd-cpu N] [--json]}. Options take their value as the next argument
 * or after {@code =}; a repeated option other than {@code --port} keeps its last value. Every
 * mistake is a {@link UsageException} whose message is one line naming the option.
 *
 * @param port1    interface of port 1
 * @param port2    interface of port 2
 * @param mode     io or switch
 * @param seconds  how long to forward; 0 means until SIGINT/SIGTERM
 * @param pmdCpu   CPU to pin the forwarding thread to, or -1
 * @param json     print one JSON object instead of a line of text
 * @param portType the ports' type: {@code afpacket} (the default) or {@code afxdp}
 * @param xdpMode  the afxdp ports' {@code xdp-mode}, or {@code null} for the port's default
 */
public record L2FwdOptions(String port1, String port2, FwdMode mode, double seconds, int pmdCpu, boolean json,
        String portType, String xdpMode) {
    public static final String USAGE =
            "usage: l2fwd --port IFNAME --port IFNAME [--mode io|switch] [--seconds S] [--pmd-cpu N] [--json]\n"
            + "             [--port-type afpacket|afxdp] [--xdp-mode best-effort|native|generic|native-with-zerocopy]";
    public static final int MAX_CPU = 1023;
    /** Options that take a value ({@code --port} twice), and the flag. */
    public static final Set<String> OPTIONS = Set.of("port", "mode", "seconds", "pmd-cpu", "port-type", "xdp-mode");
    public static final Set<String> FLAGS = Set.of("json");
    public static final List<String> PORT_TYPES = List.of("afpacket", "afxdp");
    public static final List<String> XDP_MODES = List.of("best-effort", "native-with-zerocopy", "native", "generic");

    /** A mistake on the command line; the message is the line to print after {@code "l2fwd: "}. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Whether {@code args} ask for help ({@code -h} or {@code --help} anywhere). */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /** Parses and checks {@code args}. */
    public static L2FwdOptions parse(String[] args) {
        Args a;
        try {
            a = Args.parse("l2fwd", args, OPTIONS, FLAGS);
        } catch (Args.UsageException e) {
            // This command's messages have never repeated its name: the caller prints "l2fwd: " first.
            throw new UsageException(e.getMessage().substring("l2fwd: ".length()));
        }
        List<String> ports = a.all("port");
        String mode = a.string("mode", FwdMode.IO.label());
        String seconds = a.string("seconds", "0");
        String cpu = a.string("pmd-cpu", null);
        String portType = a.string("port-type", "afpacket");
        String xdpMode = a.string("xdp-mode", null);
        boolean json = a.flag("json");
        if (ports.size() != 2) {
            throw new UsageException("--port must be given twice (port 1 and port 2), got " + ports.size());
        }
        for (String p : ports) {
            if (p.isBlank()) {
                throw new UsageException("--port needs an interface name, got '" + p + "'");
            }
        }
        if (ports.get(0).equals(ports.get(1))) {
            throw new UsageException("--port " + ports.get(0) + " given twice; port 1 and port 2 must be different"
                    + " interfaces");
        }
        FwdMode m = FwdMode.of(mode);
        if (m == null) {
            throw new UsageException("--mode must be io or switch, got '" + mode + "'");
        }
        if (!PORT_TYPES.contains(portType)) {
            throw new UsageException("--port-type must be afpacket or afxdp, got '" + portType + "'");
        }
        if (xdpMode != null && !XDP_MODES.contains(xdpMode)) {
            throw new UsageException("--xdp-mode must be one of " + String.join(", ", XDP_MODES) + ", got '" + xdpMode
                    + "'");
        }
        if (xdpMode != null && !portType.equals("afxdp")) {
            throw new UsageException("--xdp-mode needs --port-type afxdp");
        }
        return new L2FwdOptions(ports.get(0), ports.get(1), m, seconds(seconds), cpu(cpu), json, portType, xdpMode);
    }

    private static double seconds(String s) {
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new UsageException("--seconds must be a number of seconds, 0 or more, got '" + s + "'");
        }
        return d;
    }

    private static int cpu(String s) {
        if (s == null) {
            return -1;
        }
        int n;
        try {
            n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > MAX_CPU) {
            throw new UsageException("--pmd-cpu must be a CPU number within 0.." + MAX_CPU + ", got '" + s + "'");
        }
        return n;
    }

    /** The ports' options besides {@code ifname}. */
    public java.util.Map<String, String> portOptions() {
        return xdpMode == null ? java.util.Map.of() : java.util.Map.of("xdp-mode", xdpMode);
    }

    /** How long to forward, in ns; 0 means no limit. */
    public long durationNs() {
        return (long) (seconds * 1e9);
    }
}
