package dev.jvswitch.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * {@code bin/jvs-demo --ovn} as the README runs it: the two-chassis OVN network (jvswitchd next
 * to ovs-vswitchd, one private central) is built, h1 and h2 ping each other across it over
 * Geneve, ovn-controller installed the same number of flows on both chassis, and the demo
 * removes every namespace, daemon and file it made.
 *
 * <p>Runs in the {@code dist} surefire execution, after {@code package}, as {@link DemoCaptureTest}.
 */
@EnabledIfSystemProperty(named = "jvs.dist.archive", matches = ".+", disabledReason = "runs after package (dist execution)")
class DemoOvnTest {
    @Test
    void theOvnDemoPingsAcrossTwoChassisAndRemovesEverything() throws Exception {
        Needs.that(Sh.isRoot() && Sh.onPath("ip") && Sh.onPath("ethtool") && Sh.onPath("ping"),
                "root with ip, ethtool and ping (the demo's namespaces)");
        Needs.that(Sh.onPath("ovs-vswitchd") && Sh.onPath("ovsdb-server") && Sh.onPath("ovn-northd")
                && Sh.onPath("ovn-controller"), "Open vSwitch and OVN (openvswitch-switch, ovn-central, ovn-host)");
        String out = Demo.run("--ovn");
        assertThat(out).as(out).contains("h1 -> h2: 3 packets transmitted, 3 received")
                .contains("h2 -> h1: 3 packets transmitted, 3 received").contains("type: geneve")
                .containsPattern("first ping h1 -> h2 \\d+ ms after lsp-add")
                .contains("done: no namespace, daemon or socket left behind");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("chassis a: (\\d+) flows\\s+chassis b: (\\d+) flows")
                .matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(m.group(1)).as("flows on jvswitchd vs ovs-vswitchd").isEqualTo(m.group(2));
        assertThat(Sh.run("ip", "netns", "list")).doesNotContain("jvsdemo-");
        assertThat(Files.exists(Path.of("/tmp/jvs-demo"))).isFalse();
    }
}
