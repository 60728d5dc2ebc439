package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.util.Map;

/**
 * A switch under test (DUT), started between the two switch-side interfaces of a
 * {@link DutTopology} and stopped by {@link #close()}. Drivers (latency probes, traffic
 * generators) only need the topology and this interface; each implementation owns its
 * processes, run directory and system settings and puts back whatever it changed.
 *
 * <p>Every DUT forwards both ways between the two ports and learns MAC addresses (a Linux bridge,
 * OpenFlow {@code NORMAL} in Open vSwitch and jvswitch), so the same traffic means the same work.
 *
 * <p><b>Thread-safety:</b> the driver's main thread calls everything; {@link #close()} may also
 * run from a shutdown hook and is idempotent.
 */
public interface Dut extends AutoCloseable {
    /** The DUT's kind as the command line names it, e.g. {@code jvswitch}. */
    DutKind kind();

    /**
     * The settings that tell this run apart in a table of results (e.g. {@code rxRing=v2},
     * {@code pmdIdle=busy}), in a stable order.
     */
    Map<String, String> settings();

    /**
     * Starts the switch in {@code topo}'s switch namespace and returns once it runs; whether it
     * forwards yet is for the caller to check ({@link DutTopology#awaitForwarding}).
     */
    void start(DutTopology topo) throws IOException, InterruptedException;

    /** CPU time the DUT's processes have used so far, ns; -1 for a DUT without a process (a kernel bridge). */
    long cpuTimeNs();

    /** Starts the DUT's own counters from zero, if it has any worth reporting. */
    default void clearCounters() throws IOException, InterruptedException {
    }

    /** The DUT's own view of the last phase (e.g. PMD idle and processing shares), in a stable order. */
    default Map<String, String> counters() throws IOException, InterruptedException {
        return Map.of();
    }

    /** Stops every process the DUT started and undoes what it set up. Idempotent; never throws. */
    @Override
    void close();
}
