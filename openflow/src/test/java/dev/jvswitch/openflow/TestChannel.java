package dev.jvswitch.openflow;

import java.util.List;

import dev.jvswitch.config.OfTarget;
import dev.jvswitch.config.OpenFlowSettings;

/**
 * What the channel tests with a Java client share: bridge {@code br0} of a {@link TestBackend}
 * with {@code ports} ports, its OpenFlow channel listening on a free TCP port ({@code ptcp:0},
 * fail mode secure, every version the switch speaks).
 */
final class TestChannel implements AutoCloseable {
    final TestBackend backend;
    final OpenFlowChannels channels;
    /** The TCP port the channel listens on. */
    final int port;

    private TestChannel(TestBackend backend, OpenFlowChannels channels) {
        this.backend = backend;
        this.channels = channels;
        this.port = Integer.parseInt(channels.bridge("br0").listening().get(0).split(":")[1]);
    }

    static TestChannel start(int ports) {
        TestBackend backend = new TestBackend("br0", ports);
        OpenFlowChannels channels = new OpenFlowChannels();
        channels.configure("br0", new OpenFlowSettings(List.of(), List.of(OfTarget.parse("ptcp:0", false, p -> p)),
                OpenFlowSettings.DEFAULT_PROTOCOLS, OpenFlowSettings.FailMode.SECURE,
                OpenFlowSettings.DERIVED_DATAPATH_ID, 0, 0, 5_000), backend);
        return new TestChannel(backend, channels);
    }

    @Override
    public void close() {
        channels.close();
        backend.close();
    }
}
