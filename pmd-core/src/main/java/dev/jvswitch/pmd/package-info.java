/**
 * The userspace datapath and its PMD agents. {@link dev.jvswitch.pmd.Datapath} is the control
 * side (ports, PMD threads, tuning) and {@link dev.jvswitch.pmd.DatapathFlows} its flow API; each
 * {@link dev.jvswitch.pmd.PmdAgent} is one poll-mode thread's duty cycle, and its
 * {@link dev.jvswitch.pmd.PmdProxy} the only way other threads ask it to change anything (typed
 * requests queued as {@code PmdCommand}s, Aeron's {@code Sender}/{@code SenderProxy} shape).
 *
 * <p>The stages a packet goes through live below this package, one package each, and none of
 * them imports it: {@code rx} (which PMD polls which queue), {@code lookup} (EMC, SMC, dpcls),
 * {@code upcall}, {@code exec}, {@code tx}; {@code stats} holds the per-PMD counters and
 * {@code netdev} the port SPI. {@code show} formats the datapath's state for the control socket
 * and sits above it.
 */
package dev.jvswitch.pmd;
