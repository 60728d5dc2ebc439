package dev.jvswitch.testkit.ovs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One case of the differential corpus: a flow table, table settings, packets to trace, what to
 * compare, and the differences from OVS that are known and explained. A case is a text file
 * ({@code NAME.case}) of sections; blank lines and lines starting with {@code #} are comments.
 *
 * <pre>
 * # What the case is about.
 * [ports]        OpenFlow ports of br0 (default: 1 2); port N is datapath port N
 * 1 2 3
 * [prefixes]     a table's prefix fields (OVS's Flow_Table prefixes); default nw_dst,nw_src
 * 0 ipv6_dst,nw_src
 * 1 none
 * [tlv-map]      ovs-ofctl add-tlv-map mappings of br0, one a line
 * {class=0x102,type=0x80,len=4}->tun_metadata0
 * [groups]       ovs-ofctl add-group lines (OpenFlow 1.5 syntax), added before the flows
 * group_id=1,type=select,bucket=actions=output:2,bucket=actions=output:3
 * [flows]        ovs-ofctl add-flow lines, or @FILE (a flow file, relative to the case file)
 * table=0,priority=10,udp,tp_src=1024,actions=output:2
 * [packets]      [NAME:] a flow in ofproto/trace syntax, or [NAME:] METADATA HEX
 * hit: in_port=1,udp,nw_src=10.0.0.1,nw_dst=10.1.0.1,udp_src=1024,udp_dst=5001
 * in_port=1 0a0000000002...
 * [compare]      megaflow and/or actions (default both)
 * megaflow actions
 * [deviations]   see {@link Deviation}
 * hit megaflow tcp_flags=-psh => - -- OVS 3.1.0 ... (the reason is required)
 * </pre>
 *
 * Packets without a name are named by their position, from 1.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param name       the file name without {@code .case}
 * @param file       the file
 * @param ports      OpenFlow (and datapath) port numbers
 * @param prefixes   prefix fields by table id, as text ({@code nw_dst,nw_src}, {@code none})
 * @param flows      flow lines
 * @param groups     group lines
 * @param packets    packets in order
 * @param compare    {@code megaflow}, {@code actions} or both
 * @param deviations known differences
 * @param tlvMap     br0's Geneve option mappings (none: empty)
 */
public record OvsCase(String name, Path file, List<Integer> ports, Map<Integer, String> prefixes, List<String> flows,
        List<String> groups, List<Packet> packets, Set<String> compare, List<Deviation> deviations,
        List<String> tlvMap) {
    public static final String MEGAFLOW = "megaflow";
    public static final String ACTIONS = "actions";
    private static final List<String> SECTIONS = List.of("ports", "prefixes", "tlv-map", "groups", "flows", "packets",
            "compare", "deviations");

    /**
     * A packet to trace.
     *
     * @param name     its name in the case
     * @param flow     OVS flow syntax (a whole flow, or the metadata of a hex packet)
     * @param hex      the packet in hex, or null for a flow
     * @param line     line in the file
     */
    public record Packet(String name, String flow, String hex, int line) {
        @Override
        public String toString() {
            return name + " (" + flow + (hex == null ? "" : " " + hex) + ")";
        }
    }

    public OvsCase {
        ports = List.copyOf(ports);
        prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
        flows = List.copyOf(flows);
        groups = List.copyOf(groups);
        packets = List.copyOf(packets);
        compare = Collections.unmodifiableSet(new LinkedHashSet<>(compare));
        deviations = List.copyOf(deviations);
        tlvMap = List.copyOf(tlvMap);
    }

    /** A case without Geneve option mappings. */
    public OvsCase(String name, Path file, List<Integer> ports, Map<Integer, String> prefixes, List<String> flows,
            List<String> groups, List<Packet> packets, Set<String> compare, List<Deviation> deviations) {
        this(name, file, ports, prefixes, flows, groups, packets, compare, deviations, List.of());
    }

    /** Every {@code *.case} file of {@code dir}, by name. */
    public static List<OvsCase> loadAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<OvsCase> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".case")).sorted().toList()) {
                out.add(load(f));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one case.
     *
     * @throws IllegalArgumentException as {@code FILE:LINE: message} for a malformed line
     */
    public static OvsCase load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".case") ? fileName.substring(0, fileName.length() - 5) : fileName;
        List<Integer> ports = new ArrayList<>();
        Map<Integer, String> prefixes = new LinkedHashMap<>();
        List<String> flows = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<Packet> packets = new ArrayList<>();
        Set<String> compare = new LinkedHashSet<>();
        List<Deviation> deviations = new ArrayList<>();
        List<String> tlvMap = new ArrayList<>();
        String section = null;
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String t = lines.get(i).trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("[") && t.endsWith("]")) {
                section = t.substring(1, t.length() - 1).trim();
                if (!SECTIONS.contains(section)) {
                    throw error(file, n, "unknown section [" + section + "] (known: " + SECTIONS + ")");
                }
                continue;
            }
            if (section == null) {
                throw error(file, n, "a line before the first [section]");
            }
            try {
                switch (section) {
                    case "ports" -> {
                        for (String p : t.split("\\s+")) {
                            ports.add(Integer.parseInt(p));
                        }
                    }
                    case "prefixes" -> {
                        String[] kv = t.split("\\s+", 2);
                        if (kv.length != 2) {
                            throw new IllegalArgumentException("expected TABLE FIELDS, e.g. 0 nw_dst,nw_src");
                        }
                        prefixes.put(Integer.parseInt(kv[0]), kv[1].trim());
                    }
                    case "flows" -> {
                        if (t.startsWith("@")) {
                            flows.addAll(include(file, t.substring(1).trim()));
                        } else {
                            flows.add(t);
                        }
                    }
                    case "groups" -> groups.add(t);
                    case "tlv-map" -> tlvMap.add(t);
                    case "packets" -> packets.add(packet(t, packets.size() + 1, n));
                    case "compare" -> {
                        for (String w : t.split("\\s+")) {
                            if (!w.equals(MEGAFLOW) && !w.equals(ACTIONS)) {
                                throw new IllegalArgumentException("compare what? '" + w + "' (megaflow, actions)");
                            }
                            compare.add(w);
                        }
                    }
                    default -> deviations.add(Deviation.parse(t, n));
                }
            } catch (IllegalArgumentException e) {
                throw error(file, n, e.getMessage());
            }
        }
        if (ports.isEmpty()) {
            ports.addAll(List.of(1, 2));
        }
        if (compare.isEmpty()) {
            compare.addAll(List.of(MEGAFLOW, ACTIONS));
        }
        if (packets.isEmpty()) {
            throw error(file, lines.size(), "no [packets]");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Packet p : packets) {
            if (!names.add(p.name())) {
                throw error(file, p.line(), "packet name " + p.name() + " is used twice");
            }
        }
        for (Deviation d : deviations) {
            if (!d.packet().equals(Deviation.EVERY_PACKET) && !names.contains(d.packet())) {
                throw error(file, d.line(), "no packet called " + d.packet());
            }
        }
        return new OvsCase(name, file, ports, prefixes, flows, groups, packets, compare, deviations, tlvMap);
    }

    /** The flow lines of an included file (path relative to the case), comments and blanks skipped. */
    private static List<String> include(Path caseFile, String ref) {
        Path f = caseFile.toAbsolutePath().getParent().resolve(ref).normalize();
        List<String> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String t = l.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage());
        }
        return out;
    }

    private static Packet packet(String t, int index, int line) {
        String name = String.valueOf(index);
        String rest = t;
        int colon = t.indexOf(": ");
        if (colon > 0 && !t.substring(0, colon).contains("=")) {
            name = t.substring(0, colon).trim();
            rest = t.substring(colon + 2).trim();
        }
        String[] parts = rest.split("\\s+");
        if (parts.length > 2) {
            throw new IllegalArgumentException("expected a flow, or metadata and a packet in hex");
        }
        return new Packet(name, parts[0], parts.length == 2 ? parts[1] : null, line);
    }

    private static IllegalArgumentException error(Path file, int line, String message) {
        return new IllegalArgumentException(file + ":" + line + ": " + message);
    }

    /**
     * What differs between OVS's trace and jvswitch's for {@code packet}, after this case's
     * deviations for it: one line per difference, empty when they agree. A deviation named for
     * this packet that does not apply (OVS's side is not what it says) is a difference too, so the
     * corpus keeps no excuse that explains nothing; deviations that applied are added to
     * {@code applied} (see {@link #unused}).
     */
    public List<String> compare(Packet packet, OvsTrace ovs, OvsTrace jvs, Set<Deviation> applied) {
        List<String> out = new ArrayList<>();
        if (compare.contains(MEGAFLOW)) {
            if (ovs.megaflow() == null || jvs.megaflow() == null) {
                out.add("no Megaflow line: OVS " + ovs.megaflow() + ", jvswitch " + jvs.megaflow());
            } else {
                MegaflowMatch expected = MegaflowMatch.parse(ovs.megaflow());
                for (Deviation d : deviationsFor(packet, Deviation.Kind.MEGAFLOW)) {
                    try {
                        expected = d.applyTo(expected);
                        applied.add(d);
                    } catch (IllegalArgumentException e) {
                        if (d.packet().equals(packet.name())) {
                            out.add("deviation at line " + d.line() + " does not apply: " + e.getMessage());
                        }
                    }
                }
                for (String diff : expected.diff(MegaflowMatch.parse(jvs.megaflow()))) {
                    out.add("megaflow: " + diff);
                }
            }
        }
        if (compare.contains(ACTIONS)) {
            String expected = ovs.datapathActions();
            for (Deviation d : deviationsFor(packet, Deviation.Kind.ACTIONS)) {
                if (OvsTrace.comparable(d.ovs()).equals(OvsTrace.comparable(expected))) {
                    expected = d.jvs();
                    applied.add(d);
                } else if (d.packet().equals(packet.name())) {
                    out.add("deviation at line " + d.line() + " does not apply: OVS's actions are " + expected);
                }
            }
            if (expected == null || !OvsTrace.comparable(expected).equals(OvsTrace.comparable(jvs.datapathActions()))) {
                out.add("datapath actions: OVS " + ovs.datapathActions() + (expected != null
                        && !expected.equals(ovs.datapathActions()) ? " (with deviations: " + expected + ")" : "")
                        + ", jvswitch " + jvs.datapathActions());
            }
        }
        if (!out.isEmpty()) {
            out.add("  OVS      Megaflow: " + ovs.megaflow() + " | Datapath actions: " + ovs.datapathActions());
            out.add("  jvswitch Megaflow: " + jvs.megaflow() + " | Datapath actions: " + jvs.datapathActions());
        }
        return out;
    }

    /** The deviations not in {@code applied}: after every packet was compared, each is stale. */
    public List<Deviation> unused(Set<Deviation> applied) {
        List<Deviation> out = new ArrayList<>();
        for (Deviation d : deviations) {
            if (!applied.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private List<Deviation> deviationsFor(Packet p, Deviation.Kind kind) {
        List<Deviation> out = new ArrayList<>();
        for (Deviation d : deviations) {
            if (d.kind() == kind && (d.packet().equals(p.name()) || d.packet().equals(Deviation.EVERY_PACKET))) {
                out.add(d);
            }
        }
        return out;
    }
}
