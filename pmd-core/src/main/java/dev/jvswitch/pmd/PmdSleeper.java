package dev.jvswitch.pmd;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jvswitch.pmd.idle.IdleSleeper;
import dev.jvswitch.pmd.netdev.NetdevRxq;
import dev.jvswitch.pmd.netdev.sys.Scratch;
import dev.jvswitch.pmd.netdev.sys.Syscalls;
import dev.jvswitch.pmd.rx.RxqPoller;
import dev.jvswitch.pmd.stats.PmdCounter;

/**
 * Puts one idle PMD to sleep in {@code poll(2)} ({@code pmd-idle: sleep}) and wakes it: the PMD
 * waits on each of its rx queues' descriptors ({@link NetdevRxq#pollFd()}) and on an eventfd that
 * {@link PmdProxy} writes after queueing a command while the PMD sleeps. So a frame or a command
 * (a packet-out, a flow change, a reload, a quiesce or barrier wait) never waits for the sleep's
 * timeout, and a PMD that is awake pays one volatile read per command for it.
 *
 * <p><b>No lost wake-up.</b> The PMD (1) publishes {@code ASLEEP} (volatile), (2) then looks at
 * its command queue and at {@link #enabled}, and sleeps only if the queue is empty and sleeping
 * is still allowed. A sender (a) offers its command (a volatile CAS on the queue), (b) then reads
 * the state and, if it saw {@code ASLEEP}, moves it to {@code WOKEN} and writes the eventfd. With
 * both sides sequentially consistent either the PMD sees the command in (2) or the sender sees
 * {@code ASLEEP} in (b). {@link #disable} does the same with {@link #enabled}. Frames need no
 * handshake: a descriptor that is readable when poll(2) starts makes it return at once.
 *
 * <p><b>Thread-safety.</b> {@link #sleep} runs on the PMD thread, which alone owns the pollfd
 * array and the read buffer. {@link #wake} runs on any thread: it reads and CASes {@code state}
 * and writes the eventfd from {@code one}, which nobody modifies after construction.
 * {@link #open}, {@link #disable} and {@link #close} run on the datapath's control thread
 * (under its lock), {@code close} only after the PMD thread stopped.
 */
final class PmdSleeper implements IdleSleeper {
    private static final int AWAKE = 0;
    private static final int ASLEEP = 1;
    private static final int WOKEN = 2;

    private final PmdAgent pmd;
    private final AtomicInteger state = new AtomicInteger(AWAKE);
    /** The value the wakers write (1), never modified after construction. */
    private final ByteBuffer one = Scratch.direct(8);
    private final long oneAddress = Scratch.address(one);
    private final ByteBuffer drained = Scratch.direct(8);
    private final long drainedAddress = Scratch.address(drained);
    private volatile boolean enabled;
    private volatile int eventFd = -1;
    /** {@code struct pollfd}s, the eventfd first; the PMD's. */
    private ByteBuffer pollfds = Scratch.direct(Syscalls.POLLFD_BYTES * 8);
    private long pollfdsAddress = Scratch.address(pollfds);

    PmdSleeper(PmdAgent pmd) {
        this.pmd = pmd;
        one.putLong(0, 1L);
    }

    /** Control thread, before the PMD thread starts: makes the eventfd; false if the kernel refused. */
    boolean open() {
        if (eventFd < 0) {
            eventFd = Syscalls.LIBC.eventfd(0, Syscalls.EFD_NONBLOCK | Syscalls.EFD_CLOEXEC);
        }
        enabled = eventFd >= 0;
        return enabled;
    }

    /** Control thread, before stopping the PMD thread: no more sleeps, and ends the current one. */
    void disable() {
        enabled = false;
        wake();
    }

    /** Control thread, once the PMD thread stopped. */
    void close() {
        enabled = false;
        int fd = eventFd;
        eventFd = -1;
        if (fd >= 0) {
            Syscalls.LIBC.close(fd);
        }
    }

    /** Any thread, after queueing a command: wakes the PMD if it sleeps. */
    void wake() {
        if (state.get() == ASLEEP && state.compareAndSet(ASLEEP, WOKEN)) {
            Syscalls.LIBC.write(eventFd, oneAddress, 8);
        }
    }

    /** Whether the PMD is in (or just entering) poll(2) now (a snapshot, for tests). */
    boolean asleep() {
        return state.get() == ASLEEP;
    }

    @Override
    public int sleep(int timeoutMs) {
        int efd = eventFd;
        if (!enabled || efd < 0) {
            return REFUSED;
        }
        RxqPoller[] rxqs = pmd.polledRxqs();
        if (pollfds.capacity() < Syscalls.POLLFD_BYTES * (rxqs.length + 1)) {
            // Only after a reload gave this PMD more queues than ever before.
            pollfds = Scratch.direct(Syscalls.POLLFD_BYTES * (rxqs.length + 1));
            pollfdsAddress = Scratch.address(pollfds);
        }
        int n = 0;
        n = put(n, efd);
        int asked = 0;
        while (asked < rxqs.length) {
            int fd = rxqs[asked++].rxq().pollFd();
            if (fd == NetdevRxq.NO_POLL_FD) {
                ended(rxqs, asked);
                return REFUSED;
            }
            if (fd >= 0) {
                n = put(n, fd);
            }
        }
        state.set(ASLEEP);
        if (!pmd.proxy().isEmpty() || !enabled) {
            state.set(AWAKE);
            ended(rxqs, asked);
            return WOKEN;
        }
        int ready = Syscalls.LIBC.poll(pollfdsAddress, n, timeoutMs);
        state.set(AWAKE);
        ended(rxqs, asked);
        if (pollfds.getShort(6) != 0) {
            Syscalls.LIBC.read(efd, drainedAddress, 8);
        }
        pmd.stats().add(PmdCounter.IDLE_SLEEPS, 1);
        return ready == 0 ? TIMED_OUT : WOKEN;
    }

    /** Tells the first {@code asked} queues that the sleep their descriptors were asked for is over. */
    private static void ended(RxqPoller[] rxqs, int asked) {
        for (int i = 0; i < asked; i++) {
            rxqs[i].rxq().pollEnded();
        }
    }

    private int put(int i, int fd) {
        int at = i * Syscalls.POLLFD_BYTES;
        pollfds.putInt(at, fd);
        pollfds.putShort(at + 4, Syscalls.POLLIN);
        pollfds.putShort(at + 6, (short) 0);
        return i + 1;
    }
}
