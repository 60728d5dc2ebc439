package dev.jvswitch.pmd.port;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.jvswitch.pmd.netdev.Netdev;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.NetdevProvider;
import dev.jvswitch.pmd.pcap.PcapException;
import dev.jvswitch.pmd.pcap.PcapFormat;
import dev.jvswitch.pmd.pcap.PcapImage;
import dev.jvswitch.pmd.pcap.PcapWriter;

/**
 * Opens {@link PcapPort}s by type name {@code pcap}.
 *
 * <p>Options: {@code file} (capture to replay; none: receive nothing), {@code loop} (passes over
 * the capture per rx queue, 0 = endless, the default), {@code rxqs} (default 1; each replays the
 * whole capture), {@code out} (file every sent frame is written to; none: discard), {@code mac},
 * {@code mtu}.
 */
public final class PcapPortProvider implements NetdevProvider {
    public static final String FILE = "file";
    public static final String LOOP = "loop";
    public static final String RXQS = "rxqs";
    public static final String OUT = "out";
    public static final int MAX_RXQS = 64;
    static final Set<String> OPTIONS = Set.of(FILE, LOOP, RXQS, OUT, PortOptions.MAC, PortOptions.MTU);

    /**
     * A pcap port's options, read and checked; whether {@code file} can be read and {@code out}
     * written is known only at open.
     *
     * @param file capture to replay, or {@code null}
     * @param out  file to write sent frames to, or {@code null}
     */
    record Options(int loops, int rxqs, long mac, int mtu, String file, String out) {
        static Options parse(NetdevConfig config) throws NetdevException {
            config.checkOptions(OPTIONS);
            int loops = config.intOption(LOOP, 0, 0, Integer.MAX_VALUE);
            int rxqs = config.intOption(RXQS, 1, 1, MAX_RXQS);
            long mac = PortOptions.mac(config);
            int mtu = PortOptions.mtu(config);
            return new Options(loops, rxqs, mac, mtu, path(config, FILE), path(config, OUT));
        }

        private static String path(NetdevConfig config, String option) throws NetdevException {
            String v = config.options().get(option);
            if (v != null && v.isBlank()) {
                throw new NetdevException("port " + config.name() + ": option '" + option + "' must name a file");
            }
            return v == null ? null : v.trim();
        }
    }

    @Override
    public String type() {
        return PcapPort.TYPE;
    }

    @Override
    public List<String> validate(NetdevConfig config) {
        return config.errorsOf(Options::parse);
    }

    @Override
    public Netdev open(NetdevConfig config) throws NetdevException {
        Options o = Options.parse(config);
        String name = config.name();
        int loops = o.loops();
        int rxqs = o.rxqs();
        long mac = o.mac();
        int mtu = o.mtu();
        String file = o.file();
        String out = o.out();
        PcapImage image = null;
        PcapWriter writer = null;
        try {
            if (file != null) {
                image = PcapImage.load(Path.of(file));
            }
            if (out != null) {
                writer = PcapWriter.open(Path.of(out), PcapFormat.MAX_SNAPLEN);
            }
            return new PcapPort(name, mac, mtu, image, loops, rxqs, writer, config.txqs());
        } catch (IOException | RuntimeException e) {
            if (image != null) {
                image.close();
            }
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // Already failing; the first error is the one to report.
                }
            }
            String option = image == null && file != null ? FILE : OUT;
            throw new NetdevException("port " + name + ": " + describe(option, e), e);
        }
    }

    private static String describe(String option, Exception e) {
        if (e instanceof PcapException) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return "option '" + option + "': " + e.getMessage() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "option '" + option + "': " + e.getMessage() + ": permission denied";
        }
        return "option '" + option + "': " + e.getMessage();
    }
}
