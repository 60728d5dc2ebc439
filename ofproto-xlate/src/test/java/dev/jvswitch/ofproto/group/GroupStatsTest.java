package dev.jvswitch.ofproto.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.ofproto.syntax.GroupSyntax;
import dev.jvswitch.ofproto.upcall.UkeyData;
import dev.jvswitch.ofproto.xlate.TestSwitch;
import dev.jvswitch.ofproto.xlate.XlateResult;
import dev.jvswitch.testkit.frame.Frames;

/**
 * Group statistics as OVS keeps them (its xlate cache's group entries): a translation records
 * each group it went through and the bucket it took, and the megaflow's counts credit both.
 */
class GroupStatsTest {
    private static final byte[] TCP = Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(1, 80).build();

    private TestSwitch sw;

    @BeforeEach
    void setUp() {
        sw = new TestSwitch().bridge("br0", 4, 0);
    }

    @AfterEach
    void tearDown() {
        sw.close();
    }

    private Group group(long id) {
        return sw.ofproto.tables("br0").group(id);
    }

    @Test
    void aMegaflowCreditsTheGroupsAndBucketsItWentThrough() {
        sw.ofproto.apply("br0", List.of(
                GroupSyntax.parseAdd("group_id=2,type=ff,bucket=watch_port:9,output:3,bucket=watch_port:4,output:4"),
                GroupSyntax.parseAdd("group_id=1,type=all,bucket=output:2,bucket=group:2"),
                GroupSyntax.parseAdd("group_id=3,type=all,bucket=output:1")));
        Ofctl.addFlow(sw.ofproto, "br0", "in_port=1,actions=group:1");
        XlateResult r = sw.xlate(sw.key(TCP, 1));
        assertThat(r.groupHits()).containsExactly(new GroupHit(group(1), -1), new GroupHit(group(1), 0),
                new GroupHit(group(1), 1), new GroupHit(group(2), -1), new GroupHit(group(2), 1));
        UkeyData.of(r).credit(3, 180, 0);
        assertThat(group(1).stats().packets()).isEqualTo(3);
        assertThat(group(1).stats().bytes()).isEqualTo(180);
        assertThat(group(1).stats().bucketPackets(0)).isEqualTo(3);
        assertThat(group(1).stats().bucketBytes(1)).isEqualTo(180);
        assertThat(group(2).stats().packets()).isEqualTo(3);
        assertThat(group(2).stats().bucketPackets(0)).as("the bucket whose port is not live").isZero();
        assertThat(group(2).stats().bucketPackets(1)).isEqualTo(3);
        assertThat(group(3).stats().packets()).as("a group nothing went through").isZero();
    }
}
