package dev.jvswitch.vswitchd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.jvswitch.testkit.netns.Hosts;
import dev.jvswitch.vswitchd.TestSwitch;
import dev.jvswitch.testkit.env.Needs;

/**
 * Host namespaces wired to a switch namespace ({@link Hosts}: host {@code N} reaches switch
 * interface {@code sN}), and jvswitchd run there in a process of its own ({@link DaemonProcess})
 * with its files in the test's directory: what the tests of the daemon under real traffic share.
 * {@link #close()} stops the daemon, deletes the namespaces and asserts that none is left.
 *
 * <p><b>Thread-safety:</b> the test's thread only.
 */
final class SwitchedHosts implements AutoCloseable {
    /** The flow that makes br0 a learning switch. */
    static final String NORMAL = "      - priority=0,actions=normal\n";

    final Hosts hosts;
    private final Path dir;
    private DaemonProcess daemon;

    private SwitchedHosts(Path dir) {
        this.dir = dir;
        this.hosts = new Hosts();
    }

    /** Namespaces of a fresh {@link Hosts}; skips the test where they cannot be made. */
    static SwitchedHosts create(Path dir) {
        Needs.that(Hosts.available(), "root, ip, ethtool and ping");
        return new SwitchedHosts(dir);
    }

    /**
     * Bridge br0 over afpacket ports h1 and h2 (and h3 if asked) on the switch ends {@code s1}..,
     * ofports 1.., with {@code flows} (lines of the {@code flows:} list), 2048 mbufs, long idle
     * flows, control socket {@code jvswitchd.sock} beside the file.
     */
    static String config(boolean withH3, String flows) {
        return """
                datapath:
                  pmd-idle: backoff
                  max-idle: 10000
                mempool:
                  mbufs: 2048
                bridges:
                  br0:
                    ports:
                      h1: {type: afpacket, ofport: 1, options: {ifname: s1}}
                      h2: {type: afpacket, ofport: 2, options: {ifname: s2}}
                """ + (withH3 ? "      h3: {type: afpacket, ofport: 3, options: {ifname: s3}}\n" : "") + """
                    flows:
                """ + flows + """
                control:
                  socket: jvswitchd.sock
                """;
    }

    /** Writes the config file ({@link TestSwitch#writeConfig}: by rename, so a reload reads all of it or none). */
    Path writeConfig(String yaml) throws IOException {
        return TestSwitch.writeConfig(dir, yaml);
    }

    /** Starts jvswitchd on the config file in the switch namespace, its socket {@code jvswitchd.sock}. */
    DaemonProcess startDaemon(Duration timeout) throws IOException {
        daemon = new DaemonProcess(dir.resolve("sw.yaml"), dir.resolve("jvswitchd.sock"), dir).start(hosts.sw, timeout);
        return daemon;
    }

    @Override
    public void close() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            hosts.close();
            assertThat(hosts.leftovers()).isEmpty();
        }
    }
}
