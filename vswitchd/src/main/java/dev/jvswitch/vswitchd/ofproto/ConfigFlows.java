package dev.jvswitch.vswitchd.ofproto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.jvswitch.ofproto.mod.FlowMod;
import dev.jvswitch.ofproto.mod.GroupMod;
import dev.jvswitch.ofproto.mod.MeterMod;
import dev.jvswitch.ofproto.syntax.MeterSyntax;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.config.FlowLine;
import dev.jvswitch.config.LineWorkers;

/**
 * The config's flow, group and meter lines as the model the ofproto service takes: the edge where
 * config text is parsed. The lines were checked when the config was loaded
 * ({@link OfprotoFlowChecker}), which kept the adds it parsed by their position in the list: those
 * are taken as they are, and
 * only a line it did not check (the running config had it already) is parsed here, in parallel
 * chunks ({@link LineWorkers}). A failure here still names the file and line: the first failing
 * line's, as a single thread would find it.
 *
 * <p><b>Thread-safety:</b> stateless; called from one thread, which it joins with its workers.
 */
public final class ConfigFlows {
    private ConfigFlows() {
    }

    /** Each flow line as an add. */
    public static List<FlowMod> flows(List<FlowLine> lines) throws OfprotoException {
        return flows(lines, null);
    }

    /** Each flow line as an add: the one {@code checked} kept for it, else parsed now. */
    public static List<FlowMod> flows(List<FlowLine> lines, OfprotoFlowChecker checked) throws OfprotoException {
        return flows(lines, checked, TlvMap.EMPTY);
    }

    /**
     * As {@link #flows(List, OfprotoFlowChecker)}, through the bridge's TLV map as it is now:
     * a line that names a {@code tun_metadataN} is parsed again with it when the map has a
     * longer option (its slots may differ from those of the config's own map the check used).
     */
    public static List<FlowMod> flows(List<FlowLine> lines, OfprotoFlowChecker checked, TlvMap map)
            throws OfprotoException {
        boolean relay = hasLongOption(map);
        int n = lines.size();
        FlowLine[] in = lines.toArray(new FlowLine[0]);
        FlowMod[] out = new FlowMod[n];
        String[] failed = new String[(n + LineWorkers.CHUNK_LINES - 1) / LineWorkers.CHUNK_LINES];
        LineWorkers.forEachChunk(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                FlowLine l = in[i];
                boolean tun = relay && l.text().contains("tun_metadata");
                FlowMod fm = checked == null || tun ? null : checked.parsedFlow(i, l.text());
                if (fm == null) {
                    try {
                        fm = FlowSyntax.parseAdd(l.text(), map);
                    } catch (IllegalArgumentException e) {
                        // The chunk's first failure; the caller reports the first chunk's.
                        failed[from / LineWorkers.CHUNK_LINES] = l.error(e.getMessage());
                        return;
                    }
                }
                out[i] = fm;
            }
        });
        for (String f : failed) {
            if (f != null) {
                throw new OfprotoException(f);
            }
        }
        return Arrays.asList(out);
    }

    /** Each group line as an add. */
    public static List<GroupMod> groups(List<FlowLine> lines) throws OfprotoException {
        return each(lines, GroupSyntax::parseAdd);
    }

    /** Each meter line as an add. */
    public static List<MeterMod> meters(List<FlowLine> lines) throws OfprotoException {
        return each(lines, MeterSyntax::parseAdd);
    }

    /** {@code parse} of each line, in order; the first failure names its file and line. */
    private static <T> List<T> each(List<FlowLine> lines, java.util.function.Function<String, T> parse)
            throws OfprotoException {
        List<T> out = new ArrayList<>(lines.size());
        for (FlowLine l : lines) {
            try {
                out.add(parse.apply(l.text()));
            } catch (IllegalArgumentException e) {
                throw new OfprotoException(l.error(e.getMessage()));
            }
        }
        return out;
    }

    private static boolean hasLongOption(TlvMap map) {
        for (TlvMap.Mapping m : map.mappings()) {
            if (m.length() > TlvMap.SLOT_BYTES) {
                return true;
            }
        }
        return false;
    }
}
