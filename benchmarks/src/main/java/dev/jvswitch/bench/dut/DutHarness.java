package dev.jvswitch.bench.dut;

import java.io.IOException;

/**
 * A switch under test running between two hosts, as every DUT-driven benchmark (latency, the
 * throughput search, compare) starts it: a fresh {@link DutTopology}, the DUT started in it, and
 * h1 reaching h2 through it (which also makes the switch learn both hosts' addresses). Closing
 * stops the DUT, then removes the namespaces.
 *
 * <p><b>Thread-safety:</b> the driver's thread; {@link #close()} is idempotent and may also run
 * from a {@code CleanupHook}.
 */
public final class DutHarness implements AutoCloseable {
    /** How long a switch may take to forward h1 to h2 after it started. */
    public static final int FORWARDING_TIMEOUT_S = 60;

    public final Dut dut;
    public final DutTopology topo;

    private DutHarness(Dut dut, DutTopology topo) {
        this.dut = dut;
        this.topo = topo;
    }

    /**
     * Makes the topology, starts {@code dut} in it and waits until it forwards; closes whatever it
     * made (the DUT included) if a step fails.
     *
     * @param onTopology told of the topology as soon as it exists, so a signal can remove it
     */
    public static DutHarness start(Dut dut, java.util.function.Consumer<DutTopology> onTopology)
            throws IOException, InterruptedException {
        DutTopology topo = null;
        try {
            topo = DutTopology.create();
            onTopology.accept(topo);
            dut.start(topo);
            topo.awaitForwarding(FORWARDING_TIMEOUT_S);
            return new DutHarness(dut, topo);
        } catch (IOException | InterruptedException | RuntimeException e) {
            dut.close();
            if (topo != null) {
                topo.close();
            }
            throw e;
        }
    }

    /** Stops the DUT, then removes the namespaces and veths. */
    @Override
    public void close() {
        dut.close();
        topo.close();
    }
}
