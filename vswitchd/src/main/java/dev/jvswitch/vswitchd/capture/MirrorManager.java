package dev.jvswitch.vswitchd.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.jvswitch.config.MirrorSettings;

import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.mirror.PacketTap;
import dev.jvswitch.vswitchd.metrics.PromWriter;

/**
 * The running mirrors, one per port at most, {@value #MAX_MIRRORS} at once: those of the config's
 * {@code mirrors} section (named; {@link #apply} keeps them equal to the config at start and on
 * every reload) and those {@code mirror/start} made (unnamed; only commands end them). Starting one makes
 * its taps (rings of {@value #RING_BYTES} bytes each side: a second at the default rate bound of
 * small frames), hands them to the datapath and starts its writer; stopping takes them off and
 * ends the writer. A mirror that ended by itself (max-bytes, a failed file) stays listed with why,
 * until stopped or replaced.
 *
 * <p><b>Thread-safety:</b> {@link #start}, {@link #stop} and {@link #close} are {@code synchronized}
 * (the change thread and shutdown); {@link #show} and {@link #write} read under the same lock
 * (control and metrics threads), briefly.
 */
public final class MirrorManager implements AutoCloseable {
    static final int MAX_MIRRORS = MirrorSettings.MAX_MIRRORS;
    static final int RING_BYTES = 8 << 20;
    /** How long mirror/start waits to report whether the file opened (a FIFO waits for its reader). */
    static final long OPEN_WAIT_MS = 2_000;

    /** The switch's side: is there a port of that name. */
    public interface Ports {
        boolean exists(String port);
    }

    private final Datapath dp;
    private final Ports ports;
    private final Map<String, MirrorSession> sessions = new TreeMap<>();

    public MirrorManager(Datapath dp, Ports ports) {
        this.dp = dp;
        this.ports = ports;
    }

    /**
     * Starts mirroring {@code spec.port()}; replaces a mirror of that port that ended.
     *
     * @return the reply line
     * @throws IllegalArgumentException naming what is wrong (unknown port, one running already, too many)
     */
    public synchronized String start(MirrorSpec spec) throws InterruptedException {
        if (!ports.exists(spec.port())) {
            throw new IllegalArgumentException("mirror/start: no port named " + spec.port());
        }
        MirrorSession old = sessions.get(spec.port());
        if (old != null && !old.ended()) {
            throw new IllegalArgumentException("mirror/start: port " + spec.port() + " is mirrored already (to "
                    + old.spec.target() + (old.spec.name() != null ? ", mirror " + old.spec.name() + " of the config"
                    : "") + "); mirror/stop it first");
        }
        sessions.remove(spec.port());
        if (sessions.size() >= MAX_MIRRORS) {
            throw new IllegalArgumentException("mirror/start: " + MAX_MIRRORS + " mirrors at most");
        }
        PacketTap rx = spec.rx() ? new PacketTap(RING_BYTES, spec.snaplen(), spec.maxPps()) : null;
        PacketTap tx = spec.tx() ? new PacketTap(RING_BYTES, spec.snaplen(), spec.maxPps()) : null;
        String port = spec.port();
        MirrorSession s = new MirrorSession(spec, rx, tx, () -> dp.mirror(port, null, null));
        sessions.put(port, s);
        // The taps go on before the writer opens the file: what arrives meanwhile waits in the rings.
        dp.mirror(port, rx, tx);
        s.start();
        if (!s.awaitOpen(OPEN_WAIT_MS)) {
            return "mirror " + port + " (" + spec.direction() + "): waiting for a reader of " + spec.file();
        }
        if (s.state().startsWith("stopped")) {
            sessions.remove(port);
            throw new IllegalArgumentException("mirror/start: " + spec.target() + ": " + s.state());
        }
        return "mirror " + port + " (" + spec.direction() + ") " + (spec.file() != null ? "writing " + spec.file()
                : "sending to interface " + spec.iface());
    }

    /**
     * Stops the mirror of {@code port}.
     *
     * @throws IllegalArgumentException when it has none
     */
    public synchronized String stop(String port) {
        MirrorSession s = sessions.remove(port);
        if (s == null) {
            throw new IllegalArgumentException("mirror/stop: port " + port + " is not mirrored");
        }
        s.stop();
        return "mirror " + port + ": " + s.state() + ", " + s.frames() + " frames, " + s.bytes() + " bytes "
                + (s.spec.file() != null ? "in " : "to ") + s.spec.target() + ", " + dropped(s) + " copies dropped";
    }

    /**
     * Makes the config's mirrors run as {@code configured} says: a named mirror no longer there, or
     * changed, stops; a new or changed one starts; one that is unchanged is left alone (also when
     * it ended, at max-bytes say: a reload does not truncate its file again). Mirrors of commands
     * are left alone; a config mirror of a port one of them holds is not started.
     *
     * @param where the config's {@code FILE:LINE: mirrors.NAME} of a mirror, for messages
     * @return what changed, and what could not be started (each one line, naming the mirror)
     */
    public synchronized List<String> apply(List<MirrorSpec> configured, Function<String, String> where)
            throws InterruptedException {
        Map<String, MirrorSpec> wanted = new LinkedHashMap<>();
        for (MirrorSpec m : configured) {
            wanted.put(m.name(), m);
        }
        List<String> out = new ArrayList<>();
        for (MirrorSession s : new ArrayList<>(sessions.values())) {
            String name = s.spec.name();
            if (name != null && !s.spec.equals(wanted.get(name))) {
                sessions.remove(s.spec.port());
                s.stop();
                out.add("mirror " + name + ": stopped" + (wanted.containsKey(name) ? " (changed)" : "") + ", "
                        + s.frames() + " frames to " + s.spec.target());
            }
        }
        for (MirrorSpec m : wanted.values()) {
            MirrorSession s = sessions.get(m.port());
            if (s != null && m.equals(s.spec)) {
                continue;
            }
            try {
                out.add(start(m).replaceFirst("^mirror " + java.util.regex.Pattern.quote(m.port()),
                        "mirror " + m.name() + ": port " + m.port()));
            } catch (IllegalArgumentException e) {
                out.add(where.apply(m.name()) + ": not started: " + e.getMessage().replaceFirst("^mirror/start: ", ""));
            }
        }
        return out;
    }

    private static long dropped(MirrorSession s) {
        long d = s.refused();
        for (PacketTap t : new PacketTap[] {s.rx, s.tx}) {
            if (t != null) {
                d += t.droppedFull() + t.droppedRate();
            }
        }
        return d;
    }

    /** {@code mirror/show}: text and data. */
    public synchronized List<Map<String, Object>> show() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MirrorSession s : sessions.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("port", s.spec.port());
            m.put("name", s.spec.name());
            m.put("direction", s.spec.direction());
            m.put("file", s.spec.file() == null ? null : s.spec.file().toString());
            m.put("interface", s.spec.iface());
            m.put("state", s.state());
            m.put("frames", s.frames());
            m.put("bytes", s.bytes());
            m.put("maxBytes", s.spec.maxBytes());
            m.put("maxPps", s.spec.maxPps());
            m.put("snaplen", s.spec.snaplen());
            m.put("copied", copied(s));
            m.put("droppedRingFull", (s.rx == null ? 0 : s.rx.droppedFull()) + (s.tx == null ? 0 : s.tx.droppedFull()));
            m.put("droppedRate", (s.rx == null ? 0 : s.rx.droppedRate()) + (s.tx == null ? 0 : s.tx.droppedRate()));
            m.put("droppedOutput", s.refused());
            out.add(m);
        }
        return out;
    }

    private static long copied(MirrorSession s) {
        return (s.rx == null ? 0 : s.rx.copied()) + (s.tx == null ? 0 : s.tx.copied());
    }

    /** The text of {@code mirror/show}. */
    public String showText() {
        List<Map<String, Object>> rows = show();
        if (rows.isEmpty()) {
            return "no mirrors\n";
        }
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> m : rows) {
            sb.append(String.format(Locale.ROOT, "mirror %s (%s) -> %s: %s%s%n", m.get("port"), m.get("direction"),
                    m.get("file") != null ? m.get("file") : "interface " + m.get("interface"), m.get("state"),
                    m.get("name") != null ? " [config: " + m.get("name") + "]" : ""));
            sb.append(String.format(Locale.ROOT, "  frames=%d bytes=%d (max %d) copied=%d dropped: ring_full=%d"
                    + " rate=%d (max-pps %d)%s snaplen=%d%n", m.get("frames"), m.get("bytes"), m.get("maxBytes"),
                    m.get("copied"), m.get("droppedRingFull"), m.get("droppedRate"), m.get("maxPps"),
                    m.get("interface") != null ? " output=" + m.get("droppedOutput") : "", m.get("snaplen")));
        }
        return sb.toString();
    }

    /** Metrics families of the mirrors. */
    public void write(PromWriter w) {
        List<Map<String, Object>> rows = show();
        w.family("jvswitch_mirror_frames_written_total", "counter", "per mirror: frames written to its file");
        for (Map<String, Object> m : rows) {
            w.sample((Long) m.get("frames"), "port", (String) m.get("port"));
        }
        w.family("jvswitch_mirror_dropped_total", "counter", "per mirror: copies not made (ring_full: the writer"
                + " did not keep up; rate: over max-pps; output: the interface had no room or refused it)");
        for (Map<String, Object> m : rows) {
            w.sample((Long) m.get("droppedRingFull"), "port", (String) m.get("port"), "reason", "ring_full");
            w.sample((Long) m.get("droppedRate"), "port", (String) m.get("port"), "reason", "rate");
            w.sample((Long) m.get("droppedOutput"), "port", (String) m.get("port"), "reason", "output");
        }
    }

    @Override
    public synchronized void close() {
        for (MirrorSession s : sessions.values()) {
            s.stop();
        }
        sessions.clear();
    }
}
