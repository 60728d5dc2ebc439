package dev.jvswitch.dist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.jvswitch.testkit.env.Needs;
import dev.jvswitch.testkit.sh.Sh;

/**
 * The README's demo, run as a newcomer runs it ({@code bin/jvs-demo} from the repository, on the
 * jars {@code package} made): the three hosts ping through the switch, a capture of h1's port
 * ({@code jvsctl mirror/start}) during a ping from h1 to h2 is read back by tcpdump with both the
 * request and the reply in it, and the demo removes everything it made.
 *
 * <p>Runs in the {@code dist} surefire execution, after {@code package}: with no jars the demo
 * would build them itself, which a test must not do.
 */
@EnabledIfSystemProperty(named = "jvs.dist.archive", matches = ".+", disabledReason = "runs after package (dist execution)")
class DemoCaptureTest {
    @Test
    void theDemoCapturesAPingAndTcpdumpReadsItBack() throws Exception {
        Needs.that(Sh.isRoot() && Sh.onPath("ip") && Sh.onPath("ethtool") && Sh.onPath("ping"),
                "root with ip, ethtool and ping (the demo's namespaces)");
        Needs.that(Sh.onPath("tcpdump"), "tcpdump (reads the capture back)");
        String out = Demo.run();

        int at = out.indexOf("jvsctl mirror/start h1");
        assertThat(at).as(out).isNotNegative();
        String capture = out.substring(at, out.indexOf("jvsctl dpctl/dump-flows", at));
        assertThat(capture).as(out).contains("10.0.0.1 > 10.0.0.2: ICMP echo request")
                .contains("10.0.0.2 > 10.0.0.1: ICMP echo reply");
        assertThat(out).contains("done: no namespace, daemon or socket left behind");
    }
}
