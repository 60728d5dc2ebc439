package dev.jvswitch.pmd.command;

import java.util.concurrent.CompletableFuture;

import dev.jvswitch.pmd.PmdAgent;

/**
 * Something another thread asks a PMD to do to the state only the PMD may touch (its flow tables,
 * rx queues, ports, tuning). The PMD drains its command queue at the top of every iteration and
 * runs each command on its own thread; {@link #done()} completes afterwards, which is how a
 * control thread waits for "every PMD is past this change".
 *
 * <p><b>Thread-safety:</b> made on a control thread, handed over through the PMD's MPSC queue
 * (offer is a release, poll an acquire), run once on the PMD thread.
 */
public abstract class PmdCommand {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Runs on the PMD thread. */
    protected abstract void onExecute(PmdAgent pmd);

    /** Called by the PMD: runs the command and completes {@link #done()}. */
    public final void execute(PmdAgent pmd) {
        try {
            onExecute(pmd);
            done.complete(null);
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
        }
    }

    /** Completes once the PMD has run the command. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** A command from a plain action, for control-side convenience. */
    public static PmdCommand of(String name, java.util.function.Consumer<PmdAgent> action) {
        return new PmdCommand() {
            @Override
            protected void onExecute(PmdAgent pmd) {
                action.accept(pmd);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
