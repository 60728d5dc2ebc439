package dev.jvswitch.vswitchd;

import java.io.IOException;

import org.agrona.concurrent.IdleStrategy;

import dev.jvswitch.vswitchd.control.ControlServer;

/**
 * How the control agent idles: it blocks in the control socket's selector until a client needs
 * serving, a {@link ControlProxy} wakes it, or the agent's next tick is due
 * ({@link ControlAgent#msUntilDue}). The control thread thus costs nothing while idle and still
 * answers at once, which neither spinning nor sleeping gives.
 *
 * <p>No request is slept through: the agent reports a queued command as due now, and a command
 * offered after that check is followed by a wakeup, which makes the coming select return at once.
 *
 * <p><b>Thread-safety:</b> the control thread's.
 */
final class ControlIdleStrategy implements IdleStrategy {
    private final ControlServer server;
    private final ControlAgent agent;

    ControlIdleStrategy(ControlServer server, ControlAgent agent) {
        this.server = server;
        this.agent = agent;
    }

    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            idle();
        }
    }

    @Override
    public void idle() {
        long ms = agent.msUntilDue();
        if (ms > 0) {
            try {
                server.await(ms);
            } catch (IOException e) {
                agent.onIdleFailed(e);
            }
        }
    }

    @Override
    public void reset() {
    }

    @Override
    public String alias() {
        return "control-select";
    }
}
