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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.jvswitch.ofproto.Ofproto;
import dev.jvswitch.ofproto.bridge.BridgeConfig;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.mod.OfMod;
import dev.jvswitch.ofproto.syntax.FlowSyntax;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.testkit.ovs.Deviation;
import dev.jvswitch.testkit.ovs.OvsCase;
import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsTrace;
import dev.jvswitch.testkit.env.Needs;

/**
 * jvswitch's {@code ofproto/trace} against Open vSwitch's own, case by case over the corpus in
 * {@code src/test/resources/ovs-diff} ({@link OvsCase} describes the format): the same flow
 * table, table settings and packet on both sides, and their {@code Megaflow:} lines (compared as
 * sets of matches) and {@code Datapath actions:} must agree but for the deviations each case
 * documents. OVS runs privately with a dummy datapath ({@link OvsOracle}), one daemon pair for
 * the whole corpus; without OVS installed the test is skipped and says why (CI installs it).
 */
class OvsDifferentialTest {
    private static OvsOracle ovs;

    @BeforeAll
    static void startOvs() {
        String why = OvsOracle.unavailable();
        Needs.none(why);
        ovs = OvsOracle.start(1, 2);
    }

    @AfterAll
    static void stopOvs() {
        if (ovs != null) {
            ovs.close();
        }
    }

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
        ovs.ports(c.ports());
        ovs.clearPrefixes();
        Map<Integer, PrefixFields> prefixes = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : c.prefixes().entrySet()) {
            ovs.setPrefixes(e.getKey(), e.getValue());
            prefixes.put(e.getKey(), PrefixFields.parse(Arrays.asList(e.getValue().split(","))));
        }
        ovs.replaceFlows(c.flows(), c.groups());
        Ofproto jvs = jvswitch(c, prefixes);

        List<String> problems = new ArrayList<>();
        Set<Deviation> applied = new HashSet<>();
        for (OvsCase.Packet p : c.packets()) {
            OvsTrace o = p.hex() == null ? ovs.trace(p.flow()) : ovs.trace(p.flow(), p.hex());
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

    /** A jvswitch bridge br0 like OVS's: OpenFlow port N on datapath port N, named pN. */
    private static Ofproto jvswitch(OvsCase c, Map<Integer, PrefixFields> prefixes) {
        Ofproto of = new Ofproto();
        List<OfPort> ports = new ArrayList<>();
        for (int p : c.ports()) {
            ports.add(OfPort.trunk(p, p, "p" + p));
        }
        of.addBridge(new BridgeConfig(OvsOracle.BRIDGE, ports).withPrefixes(prefixes));
        List<OfMod> mods = new ArrayList<>();
        for (String g : c.groups()) {
            mods.add(GroupSyntax.parseAdd(g));
        }
        for (String f : c.flows()) {
            mods.add(FlowSyntax.parseAdd(f));
        }
        of.apply(OvsOracle.BRIDGE, mods);
        return of;
    }
}
