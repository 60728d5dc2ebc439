package dev.jvswitch.bench.dut;

import java.io.IOException;
import java.util.Map;

/**
 * What the Open vSwitch DUTs share: a private Open vSwitch ({@link OvsDaemons}) in the switch
 * namespace, its CPU time and PMD shares as the DUT's, and stopping it. A subclass starts it its
 * own way (which {@code ovs-vswitchd}, database settings, CPU pinning, port types) and sets up
 * and undoes what it needs around it ({@link #onClose()}).
 *
 * <p><b>Thread-safety:</b> as {@link Dut}: one driver thread; {@link #close()} idempotent.
 */
abstract sealed class OvsDut implements Dut permits OvsDpdkDut, OvsNetdevDut {
    final DutOptions options;
    /** The running daemons, once {@code start} has them; {@code null} before and after. */
    OvsDaemons ovs;

    OvsDut(DutOptions options) {
        this.options = options;
    }

    /** Why a private Open vSwitch cannot run here, or {@code null}. */
    static String missingOvs() {
        return OvsDaemons.missing();
    }

    @Override
    public final long cpuTimeNs() {
        return ovs == null ? -1 : ovs.cpuTimeNs();
    }

    @Override
    public final void clearCounters() throws IOException, InterruptedException {
        ovs.appctl("dpif-netdev/pmd-stats-clear");
    }

    @Override
    public final Map<String, String> counters() throws IOException, InterruptedException {
        return ovs.pmdShares();
    }

    /** Stops the daemons, then undoes the subclass's own set-up ({@link #onClose()}). */
    @Override
    public final void close() {
        if (ovs != null) {
            ovs.close();
            ovs = null;
        }
        onClose();
    }

    /** Undoes what the subclass set up around the daemons; never throws. Idempotent. */
    void onClose() {
    }
}
