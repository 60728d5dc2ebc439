package dev.jvswitch.bench.afpacket;

import java.io.IOException;

import dev.jvswitch.bench.dut.Wiring;

/**
 * The benchmark's wires, made for one run ({@link Wiring}) and removed by {@link #close()}:
 *
 * <pre>
 *  netns jvs-ID-gen           root namespace (the JVM)                      netns jvs-ID-sink
 *  [jvsIDg: generator] ==veth== [jvsID1: port 1] -fwd-> [jvsID2: port 2] ==veth== [jvsIDs: sink]
 * </pre>
 *
 * Names carry 6 random hex digits so that concurrent runs and tests never collide. Every end
 * has IPv6 off (no stray router solicitations) and GRO, GSO and TSO off, as the README asks of
 * AF_PACKET ports. The sink is the kernel of the sink namespace, which counts what arrives.
 *
 * <p><b>Thread-safety:</b> {@link #close()} may be called from a shutdown hook as well as the
 * main thread; it is idempotent ({@link Wiring#close()}). Other methods are for the main thread.
 */
final class FwdTopology implements AutoCloseable {
    final String genNs;
    final String sinkNs;
    final String genIf;
    final String port1If;
    final String port2If;
    final String sinkIf;
    private final Wiring wires;

    private FwdTopology(Wiring wires) {
        this.wires = wires;
        genNs = wires.namespace("gen");
        sinkNs = wires.namespace("sink");
        genIf = wires.ifname("g");
        port1If = wires.ifname("1");
        port2If = wires.ifname("2");
        sinkIf = wires.ifname("s");
    }

    /** Makes both namespaces and both veth pairs, all up; removes what it made if a step fails. */
    static FwdTopology create() throws IOException, InterruptedException {
        FwdTopology t = new FwdTopology(Wiring.create());
        try {
            t.pair(t.genNs, t.port1If, t.genIf);
            t.pair(t.sinkNs, t.port2If, t.sinkIf);
            Wiring.awaitOperUp(null, t.port1If);
            Wiring.awaitOperUp(null, t.port2If);
            return t;
        } catch (IOException | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void pair(String ns, String rootEnd, String nsEnd) throws IOException, InterruptedException {
        wires.addNamespace(ns, false);
        wires.addVeth(null, rootEnd, ns, nsEnd);
        Wiring.configure(null, rootEnd, false, null, 0);
        Wiring.configure(ns, nsEnd, false, null, 0);
    }

    /** Frames the sink's kernel received on its veth end. */
    long sinkRxPackets() throws IOException, InterruptedException {
        return Wiring.rxPackets(sinkNs, sinkIf);
    }

    /** Deletes the namespaces (and the veth ends inside them) and whatever root ends remain. */
    @Override
    public void close() {
        wires.close();
    }
}
