package dev.jvswitch.testkit.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.testkit.frame.MarkedFrames;

/**
 * The python test peer ({@code pkt.py}) running in a namespace: sends or receives raw frames,
 * UDP datagrams or TCP data, or echoes frames one at a time through a port. Its stdout is read
 * line by line on a daemon thread.
 */
public final class Peer implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private static Path script;

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final String what;

    private Peer(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "python3", "-u", script().toString()));
        cmd.addAll(List.of(args));
        what = String.join(" ", args);
        try {
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pump(process.getInputStream(), true);
        pump(process.getErrorStream(), false);
    }

    public static Peer start(String ns, String... args) {
        return new Peer(ns, args);
    }

    /**
     * Starts sending {@code frames} from {@code ifname} in {@code ns}; the caller polls the port
     * meanwhile and then calls {@link #awaitExit}.
     */
    public static Peer sender(String ns, String ifname, List<byte[]> frames) {
        Peer p = start(ns, "send", ifname);
        p.writeInBackground(frames);
        return p;
    }

    /** Starts a receiver for {@code count} marked frames on {@code ifname} and waits until it listens. */
    public static Peer receiver(String ns, String ifname, int count, Duration timeout) {
        Peer p = start(ns, "recv", ifname, Integer.toString(count), Long.toString(timeout.toSeconds()));
        p.awaitLine("ready", Duration.ofSeconds(20));
        return p;
    }

    private static synchronized Path script() {
        if (script == null) {
            try (InputStream in = Peer.class.getResourceAsStream("pkt.py")) {
                Path p = Files.createTempFile("jvs-pkt", ".py");
                Files.write(p, in.readAllBytes());
                p.toFile().deleteOnExit();
                script = p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return script;
    }

    private void pump(InputStream in, boolean out) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (out) {
                        lines.add(line);
                    } else {
                        synchronized (stderr) {
                            stderr.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed; what it printed so far is all there is.
            } finally {
                if (out) {
                    lines.add(EOF);
                }
            }
        }, "peer-" + (out ? "stdout" : "stderr"));
        t.setDaemon(true);
        t.start();
    }

    /** Whether the peer still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Starts writing {@code frames} to the peer's stdin on a daemon thread, so that the caller
     * can poll the port meanwhile: frames sent while nobody polls would fill the ring.
     */
    public void writeInBackground(List<byte[]> frames) {
        Thread t = new Thread(() -> {
            try {
                writeAndClose(frames);
            } catch (AssertionError e) {
                // The peer died; awaitExit reports why.
            }
        }, "peer-stdin");
        t.setDaemon(true);
        t.start();
    }

    public void writeAndClose(List<byte[]> frames) {
        try (OutputStream os = process.getOutputStream();
                Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.US_ASCII))) {
            for (byte[] f : frames) {
                w.write(MarkedFrames.hex(f));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new AssertionError("peer '" + what + "' stopped reading: " + stderr(), e);
        }
    }

    /** Waits for a line equal to {@code expected}. */
    public void awaitLine(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line;
            try {
                line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("peer '" + what + "' did not print '" + expected + "': " + stderr());
            }
            if (line.equals(expected)) {
                return;
            }
        }
    }

    /** Waits for the peer to exit successfully and returns the lines it printed since. */
    public List<String> awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("peer '" + what + "' still running after " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String line;
            try {
                line = lines.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (line == null) {
                continue;
            }
            if (line.equals(EOF)) {
                break;
            }
            out.add(line);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("peer '" + what + "' failed (exit " + process.exitValue() + "): " + stderr());
        }
        return out;
    }

    /** Frames a receiver printed: every line that is not a status line. */
    public List<byte[]> awaitFrames(Duration timeout) {
        List<byte[]> frames = new ArrayList<>();
        for (String line : awaitExit(timeout)) {
            if (!line.isEmpty() && !line.startsWith("sent") && !line.equals("ready")) {
                frames.add(MarkedFrames.unhex(line));
            }
        }
        return frames;
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString().trim();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
