package dev.jvswitch.config.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.jvswitch.config.Diagnostics;
import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.config.LineWorkers;

/**
 * The flows (or groups, or meters) of one bridge as the loader reads them: inline strings and the lines of
 * {@code @file}s, in order, each checked by the OpenFlow side ({@link FlowChecker}), every problem
 * reported at its file and line.
 *
 * <p><b>Checked once.</b> A load may be given a baseline, the lines of the same bridge in the
 * config that runs. A line whose text equals the baseline's line at the same position passed the
 * same check when the baseline was loaded (a check depends on the text alone), so it is not
 * checked again, and it takes the baseline's text (and the baseline's {@link FlowLine} itself when
 * file, line and key are the same too): reloading a million-line file that did not change parses
 * nothing, and the new config shares the running one's strings instead of holding each text twice.
 * Lines are compared by position only: a line inserted near the top makes the rest be checked.
 *
 * <p><b>In parallel.</b> The lines are checked in chunks on the loading thread and a few workers
 * ({@link LineWorkers}); each chunk keeps its problems, at most
 * {@value Diagnostics#MAX_ERRORS_PER_FILE} + 1 per file in full and only a count of the rest, and
 * they reach the {@link Diagnostics} in line order from the loading thread: the messages, their
 * lines and the cap of a file are what a single thread would report.
 *
 * <p><b>Thread-safety:</b> one load on one thread; the checker is called from that thread and the
 * workers at once (see {@link FlowChecker}).
 */
final class FlowLines {
    /** What the lines of a key are: each kind is checked by its own {@link FlowChecker} method. */
    enum Kind {
        FLOWS("a list of flows (ovs-ofctl syntax) or \"@file\"", "a flow string"),
        GROUPS("a list of groups or \"@file\"", "a group string"),
        METERS("a list of meters (ovs-ofctl add-meter syntax) or \"@file\"", "a meter string");

        final String what;
        final String item;

        Kind(String what, String item) {
            this.what = what;
            this.item = item;
        }
    }

    private final FlowChecker checker;

    FlowLines(FlowChecker checker) {
        this.checker = checker;
    }

    /**
     * The lines of {@code kind} of section {@code b}'s {@code key}, each checked
     * unless {@code baseline} (the running config's lines of the bridge, or an empty list) has it
     * at the same position.
     */
    List<FlowLine> read(Section b, String key, Diagnostics diag, Kind kind, List<FlowLine> baseline) {
        Node v = b.value(key);
        List<FlowLine> out = new ArrayList<>();
        if (v == null || Section.isEmpty(v)) {
            return out;
        }
        String what = kind.what;
        if (v instanceof ScalarNode) {
            String t = Section.scalar(v, b.path(key), what, diag);
            if (t != null && t.trim().startsWith("@")) {
                readFile(t.trim().substring(1).trim(), v, b.path(key), diag, out);
            } else if (t != null) {
                Section.report(diag, v, b.path(key), "expected " + what + ", got '" + t + "'");
            }
        } else {
            List<Node> items = Section.list(v, b.path(key), what, diag);
            for (int i = 0; i < items.size(); i++) {
                String itemKey = b.path(key) + "[" + i + "]";
                String t = Section.scalar(items.get(i), itemKey, kind.item, diag);
                if (t == null) {
                    continue;
                }
                if (t.trim().startsWith("@")) {
                    readFile(t.trim().substring(1).trim(), items.get(i), itemKey, diag, out);
                } else {
                    out.add(new FlowLine(t.trim(), diag.file(), Section.line(items.get(i)), itemKey));
                }
            }
        }
        check(out, baseline, kind, diag);
        return out;
    }

    /**
     * Lines of an ovs-ofctl flow file: one per line, blank lines and {@code #} comments skipped.
     * Read as {@link TextFile} reads: a regular text file of at most
     * {@value TextFile#MAX_INCLUDE_BYTES} bytes, lines of at most
     * {@value TextFile#MAX_INCLUDE_LINE_BYTES}. A file that cannot be read, or is not text, is one
     * error and adds no lines.
     */
    private static void readFile(String ref, Node at, String key, Diagnostics diag, List<FlowLine> out) {
        String shown = YamlConfigLoader.resolve(diag.file(), ref);
        // Straight into out (a million-line file grows one list, not two), taken out again on failure.
        int start = out.size();
        try {
            TextFile.lines(Path.of(shown), TextFile.MAX_INCLUDE_BYTES, TextFile.MAX_INCLUDE_LINE_BYTES, (n, text) -> {
                String t = text.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(new FlowLine(t, shown, n, key));
                }
            });
        } catch (TextFile.Problem e) {
            out.subList(start, out.size()).clear();
            if (e.line() == 0) {
                Section.report(diag, at, key, "cannot read " + shown + ": " + e.getMessage());
            } else {
                diag.add(shown, e.line(), key, "cannot read " + shown + ": " + e.getMessage());
            }
        }
    }

    /** Checks {@code lines} (sharing the baseline's where equal, in place) and reports their problems in order. */
    void check(List<FlowLine> lines, List<FlowLine> baseline, Kind kind, Diagnostics diag) {
        int n = lines.size();
        FlowLine[] all = lines.toArray(new FlowLine[0]);
        Problems[] found = new Problems[(n + LineWorkers.CHUNK_LINES - 1) / LineWorkers.CHUNK_LINES];
        if (kind == Kind.FLOWS) {
            checker.expectFlows(n);
        }
        LineWorkers.forEachChunk(n, (from, to) -> {
            Problems p = null;
            for (int i = from; i < to; i++) {
                FlowLine l = all[i];
                FlowLine base = i < baseline.size() ? baseline.get(i) : null;
                if (base != null && base.text().equals(l.text())) {
                    all[i] = base.file().equals(l.file()) && base.line() == l.line() && base.key().equals(l.key())
                            ? base : new FlowLine(base.text(), l.file(), l.line(), l.key());
                    continue;
                }
                String problem = switch (kind) {
                    case FLOWS -> checker.checkFlow(l.text(), i);
                    case GROUPS -> checker.checkGroup(l.text());
                    case METERS -> checker.checkMeter(l.text());
                };
                if (problem != null) {
                    if (p == null) {
                        p = new Problems();
                    }
                    p.add(i, l.file(), problem);
                }
            }
            found[from / LineWorkers.CHUNK_LINES] = p;
        });
        for (int i = 0; i < n; i++) {
            lines.set(i, all[i]);
        }
        for (Problems p : found) {
            if (p != null) {
                p.report(all, diag);
            }
        }
    }

    /**
     * The ids of {@code meters} (lines of {@link Kind#METERS} already checked) as the checker
     * reads them; a second line with an id already given is an error at its line.
     */
    java.util.Set<Long> meterIds(List<FlowLine> meters, Diagnostics diag) {
        Map<Long, FlowLine> seen = new HashMap<>();
        for (FlowLine l : meters) {
            long id = checker.meterId(l.text());
            FlowLine first = id < 0 ? null : seen.putIfAbsent(id, l);
            if (first != null) {
                diag.add(l.file(), l.line(), l.key(), "meter " + id + " is given twice (first at " + first.file()
                        + ":" + first.line() + ")");
            }
        }
        return java.util.Set.copyOf(seen.keySet());
    }

    /** One chunk's problems: the first ones of each file in full, the others counted. */
    private static final class Problems {
        private static final int KEPT_PER_FILE = Diagnostics.MAX_ERRORS_PER_FILE + 1;
        private final List<Integer> index = new ArrayList<>();
        private final List<String> message = new ArrayList<>();
        private final Map<String, int[]> perFile = new HashMap<>();
        private final Map<String, Integer> unshown = new HashMap<>();

        void add(int i, String file, String problem) {
            // The first MAX + 1 of a file in any chunk include every one the file shows, and the
            // first it does not (where the "... and N more" line goes).
            if (++perFile.computeIfAbsent(file, f -> new int[1])[0] > KEPT_PER_FILE) {
                unshown.merge(file, 1, Integer::sum);
                return;
            }
            index.add(i);
            message.add(problem);
        }

        void report(FlowLine[] lines, Diagnostics diag) {
            for (int k = 0; k < index.size(); k++) {
                FlowLine l = lines[index.get(k)];
                diag.add(l.file(), l.line(), l.key(), message.get(k));
            }
            unshown.forEach(diag::addUnshown);
        }
    }
}
