package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import jnr.ffi.LibraryLoader;

/**
 * Runs the JVM's JIT compiler threads at a lower scheduling priority than the threads that answer
 * a controller, once the start-up warm-up is done ({@code Jvswitchd}: its own compiles keep full
 * priority, so it ends as soon as before), so that on a small shared host the compiles a
 * controller's requests still trigger use the CPU time left over instead of taking it from the
 * OpenFlow thread, ovn-controller and the datapath.
 *
 * <p><b>Why.</b> On a 2-CPU OVN chassis (OvnFirstPingTest), a warm round's port bundle still
 * triggers 20-40 compiles (tier promotions of the decode, commit and translation paths; C2 compiles
 * of 20-80 ms). Each compile request wakes a compiler thread, which at the same nice value preempts
 * the OpenFlow thread that queued it (a sched_switch trace shows it descheduled right after
 * {@code CompileBroker::compile_method} woke the compiler); the OpenFlow thread then waits for a
 * CPU behind the compiler and both ovn-controllers, for 7-31 ms of a 15-41 ms INSTALL_FLOWS ->
 * MARK_UP window while it ran 4-7 ms. Compiles are asynchronous: a compiler thread that runs later
 * only leaves the code at its lower tier a little longer. Background work yielding to foreground
 * work is what nice is for; OVS's own start script runs ovs-vswitchd at nice -10 for the same
 * reason (its threads against the rest of the host).
 *
 * <p>A thread's nice value is per thread on Linux ({@code setpriority(PRIO_PROCESS, tid)}) and
 * inherited by the threads it creates, so compiler threads the JVM adds later (started by a
 * compiler thread) come at the same value. Raising one's own nice value needs no privilege;
 * a call the kernel refuses changes nothing and is counted out.
 *
 * <p>Stateless.
 */
final class CompilerNice {
    /** The nice value the compiler threads run at (the OpenFlow, PMD and other threads stay at 0). */
    static final int NICE = 10;
    private static final int PRIO_PROCESS = 0;
    /** HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1", ...; the kernel keeps 15 bytes. */
    static final Predicate<String> COMPILER = comm -> comm.startsWith("C1 CompilerThre")
            || comm.startsWith("C2 CompilerThre");

    /** The libc call, bound on first use. */
    public interface LibC {
        int setpriority(int which, int who, int prio);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    }

    private CompilerNice() {
    }

    /**
     * Sets {@code nice} on every thread of this process whose name ({@code /proc/self/task/TID/comm})
     * {@code which} accepts.
     *
     * @return how many threads took it (0 if libc or {@code /proc} cannot be read)
     */
    static int lower(Predicate<String> which, int nice) {
        int done = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String comm;
                int tid;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (IOException | NumberFormatException e) {
                    continue; // Ended meanwhile.
                }
                if (which.test(comm) && Holder.LIBC.setpriority(PRIO_PROCESS, tid, nice) == 0) {
                    done++;
                }
            }
        } catch (IOException | LinkageError | RuntimeException e) {
            // No /proc or no libc: the threads set so far stay set.
        }
        return done;
    }
}
