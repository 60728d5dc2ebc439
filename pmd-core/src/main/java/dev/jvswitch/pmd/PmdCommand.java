package dev.jvswitch.pmd;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Something another thread asks a PMD to do to the state only the PMD may touch (its flow tables,
 * rx queues, ports, tuning). {@link PmdProxy} makes one per request and queues it; the PMD drains
 * its queue at the top of an iteration and runs each command on its own thread; {@link #done()}
 * completes afterwards, which is how a control thread waits for "every PMD is past this change".
 *
 * <p><b>Thread-safety:</b> made on a control thread, handed over through the PMD's MPSC queue
 * (offer is a release, poll an acquire), run once on the PMD thread.
 */
abstract class PmdCommand {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Runs on the PMD thread. */
    protected abstract void onExecute(PmdAgent pmd);

    /** Called by the PMD: runs the command and completes {@link #done()}. */
    final void execute(PmdAgent pmd) {
        try {
            onExecute(pmd);
            done.complete(null);
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
        }
    }

    /** Completes once the PMD has run the command. */
    final CompletableFuture<Void> done() {
        return done;
    }

    /** A command that calls one of the PMD's {@code on*} handlers; {@code name} is for debugging. */
    static PmdCommand of(String name, Consumer<PmdAgent> handler) {
        return new PmdCommand() {
            @Override
            protected void onExecute(PmdAgent pmd) {
                handler.accept(pmd);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
