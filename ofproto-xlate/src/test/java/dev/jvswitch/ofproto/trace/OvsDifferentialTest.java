package dev.jvswitch.ofproto.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.tnl.TlvMap;
import dev.jvswitch.testkit.ovs.Deviation;
import dev.jvswitch.testkit.ovs.OvsCase;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;
import dev.jvswitch.testkit.ovs.OvsTrace;

/**
 * jvswitch's {@code ofproto/trace} against Open vSwitch's own, case by case over the corpus in
 * {@code src/test/resources/ovs-diff} ({@link OvsCase} describes the format): the same flow
 * table, table settings and packet on both sides, and their {@code Megaflow:} lines (compared as
 * sets of matches) and {@code Datapath actions:} must agree but for the deviations each case
 * documents. OVS runs privately with a dummy datapath ({@link OvsOracle}), one daemon pair for
 * the whole corpus; without OVS installed the test is skipped and says why (CI installs it).
 */
class OvsDifferentialTest {
    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2);

    /**
     * The corpus in the source tree when the test runs from the module (Maven's working
     * directory), so that a case's {@code @file} can name the repository's flow files; else the
     * copy on the class path.
     */
    static Path corpus() throws URISyntaxException {
        Path source = Path.of("src/test/resources/ovs-diff");
        if (Files.isDirectory(source)) {
            return source;
        }
        return Path.of(OvsDifferentialTest.class.getResource("/ovs-diff").toURI());
    }

    @TestFactory
    Stream<DynamicTest> corpusAgreesWithOvs() throws URISyntaxException {
        List<OvsCase> cases = OvsCase.loadAll(corpus());
        assertThat(cases).as("cases in %s", corpus()).isNotEmpty();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), c.file().toUri(), () -> run(c)));
    }

    private static void run(OvsCase c) {
        OVS.oracle().ports(c.ports());
        OVS.oracle().clearPrefixes();
        Map<Integer, PrefixFields> prefixes = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : c.prefixes().entrySet()) {
            OVS.oracle().setPrefixes(e.getKey(), e.getValue());
            prefixes.put(e.getKey(), PrefixFields.parse(Arrays.asList(e.getValue().split(","))));
        }
        OVS.oracle().ofctl("del-flows", OvsOracle.BRIDGE); // a mapping in use cannot go
        OVS.oracle().ofctl("del-tlv-map", OvsOracle.BRIDGE);
        if (!c.tlvMap().isEmpty()) {
            OVS.oracle().ofctl("add-tlv-map", OvsOracle.BRIDGE, String.join(",", c.tlvMap()));
        }
        OVS.oracle().replaceFlows(c.flows(), c.groups());
        Ofproto jvs = OvsTwin.of(c.groups(), c.flows(), prefixes,
                c.ports().stream().mapToInt(Integer::intValue).toArray(), TlvMap.parseAll(c.tlvMap()));

        List<String> problems = new ArrayList<>();
        Set<Deviation> applied = new HashSet<>();
        for (OvsCase.Packet p : c.packets()) {
            OvsTrace o = p.hex() == null ? OVS.oracle().trace(p.flow()) : OVS.oracle().trace(p.flow(), p.hex());
            String j = p.hex() == null ? jvs.tracer().trace(OvsOracle.BRIDGE, p.flow())
                    : jvs.tracer().trace(OvsOracle.BRIDGE, p.flow(), p.hex());
            for (String d : c.compare(p, o, OvsTrace.parse(j), applied)) {
                problems.add("packet " + p + ": " + d);
            }
        }
        for (Deviation d : c.unused(applied)) {
            problems.add("deviation at line " + d.line() + " applied to no packet: " + d.reason());
        }
        assertThat(problems).as("%s: jvswitch against OVS", c.file()).isEmpty();
    }
}
