package dev.jvswitch.pmd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.flowcache.megaflow.Megaflow;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * Carries requests from control threads to one {@link PmdAgent} (Aeron's {@code SenderProxy}):
 * one typed method per thing a PMD can be asked to do, each queuing a {@link PmdCommand} that
 * calls the matching {@code on*} handler of the agent on the PMD thread. The queue is a bounded
 * MPSC queue that the agent drains at the top of each duty cycle, at most
 * {@link PmdAgent#COMMAND_LIMIT} commands per iteration. Every failed offer is counted.
 *
 * <p>Each method returns the command's completion. When the queue is full, the blocking methods
 * retry until {@link #OFFER_TIMEOUT_MS}; if no thread steps the agent at that moment (a datapath
 * without PMD threads, as tests run it), the caller runs the queued commands itself to make room,
 * as Aeron's proxies call the agent directly when it shares the caller's thread.
 * {@link #offerFlowBatch} never blocks and never runs anything on the caller's thread.
 * A command queued while the PMD sleeps in poll(2) wakes it ({@link PmdSleeper}), so no request
 * waits for the sleep's timeout.
 *
 * <p><b>Thread-safety:</b> the request methods may be called from any thread; {@link #drain}
 * only by the thread that steps the agent.
 */
public final class PmdProxy {
    /** How long a blocking request waits for room in the queue before it fails. */
    public static final long OFFER_TIMEOUT_MS = 10_000;

    private final PmdAgent pmd;
    private final BooleanSupplier agentDriven;
    private final ManyToOneConcurrentArrayQueue<PmdCommand> queue;
    private final AtomicLong failedOffers = new AtomicLong();

    /**
     * @param agentDriven whether some thread other than a caller steps the agent now (PMD
     *                    threads, or a tool's own loop); when it does not, a caller that meets a
     *                    full queue runs the queued commands itself
     */
    PmdProxy(PmdAgent pmd, int capacity, BooleanSupplier agentDriven) {
        this.pmd = pmd;
        this.agentDriven = agentDriven;
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    // ------------------------------------------------------------------ requests (any thread)

    /** Poll {@code rxqs}, send through {@code ports} on tx queue {@code txqIndex % txqCount}. */
    CompletableFuture<Void> reload(RxqPoller[] rxqs, DpPort[] ports, int txqIndex) {
        return send(PmdCommand.of("reload", p -> p.onReload(rxqs, ports, txqIndex)));
    }

    /** Completes once the PMD has started a new iteration (OVS's quiescing). */
    CompletableFuture<Void> quiesce() {
        return send(PmdCommand.of("quiesce", p -> { }));
    }

    CompletableFuture<Void> config(DatapathConfig config) {
        return send(PmdCommand.of("config", p -> p.onConfig(config)));
    }

    CompletableFuture<Void> upcallHandler(UpcallHandler handler) {
        return send(PmdCommand.of("upcall-handler", p -> p.onUpcallHandler(handler)));
    }

    CompletableFuture<Void> flowPut(Megaflow flow) {
        return send(PmdCommand.of("flow-put", p -> p.onFlowPut(flow)));
    }

    CompletableFuture<Void> flowModify(Megaflow flow, DpActions actions) {
        return send(PmdCommand.of("flow-modify", p -> p.onFlowModify(flow, actions)));
    }

    /**
     * Runs {@code actions} on {@code m} in the PMD (a packet-out): the PMD takes the mbuf. Never
     * blocks.
     *
     * @return the completion, or {@code null} (counted) if the queue is full: the mbuf is still the caller's
     */
    CompletableFuture<Void> offerExecute(Mbuf m, DpActions actions) {
        PmdCommand command = PmdCommand.of("packet-execute", p -> p.onExecute(m, actions));
        return offer(command) ? command.done() : null;
    }

    /** Removes a flow already marked dead from the tables and the ukey map. */
    CompletableFuture<Void> flowRemove(Megaflow flow) {
        return send(PmdCommand.of("flow-del", p -> p.onFlowRemove(flow)));
    }

    /**
     * Offers one command that removes {@code deletes} and gives each {@code modifies[i]} the
     * program {@code actions[i]}; never blocks.
     *
     * @return the completion, or {@code null} (counted) if the queue is full
     */
    CompletableFuture<Void> offerFlowBatch(Megaflow[] deletes, Megaflow[] modifies, DpActions[] actions) {
        PmdCommand command = PmdCommand.of("flow-batch", p -> p.onFlowBatch(deletes, modifies, actions));
        return offer(command) ? command.done() : null;
    }

    /**
     * Offers the execution of {@code actions} on a copy of {@code frame} (a packet the slow path
     * sends); never blocks.
     *
     * @return false (counted) if the queue is full
     */
    boolean offerExecute(byte[] frame, DpActions actions) {
        return offer(PmdCommand.of("execute", p -> p.onExecute(frame, actions)));
    }

    // ------------------------------------------------------------------ queue

    /** Queues {@code command}, waiting for room as the class comment says. */
    private CompletableFuture<Void> send(PmdCommand command) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OFFER_TIMEOUT_MS);
        while (!offer(command)) {
            if (!agentDriven.getAsBoolean()) {
                pmd.runCommands();
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pmd.roleName() + " command queue stayed full for "
                        + OFFER_TIMEOUT_MS + " ms");
            } else {
                Thread.onSpinWait();
            }
        }
        return command.done();
    }

    private boolean offer(PmdCommand command) {
        if (queue.offer(command)) {
            // A sleeping PMD (pmd-idle: sleep) is woken; an awake one costs a volatile read.
            pmd.sleeper().wake();
            return true;
        }
        failedOffers.incrementAndGet();
        return false;
    }

    /** The agent's thread: runs up to {@code limit} queued commands; returns how many ran. */
    int drain(int limit) {
        int n = 0;
        PmdCommand c;
        while (n < limit && (c = queue.poll()) != null) {
            c.execute(pmd);
            n++;
        }
        return n;
    }

    /** Whether no command waits (a snapshot). */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Offers refused because the queue was full, since the PMD was made. */
    public long failedOffers() {
        return failedOffers.get();
    }
}
