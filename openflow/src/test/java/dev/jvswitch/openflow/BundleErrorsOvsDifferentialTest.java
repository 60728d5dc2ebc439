package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFBundleCtrlType;
import org.projectfloodlight.openflow.protocol.OFBundleFlags;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.BundleId;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Bundles that go wrong, answered as OVS answers them: the same OpenFlow 1.4 messages go to a
 * private {@code ovs-vswitchd} (dummy datapath) and to the channel, step by step, each step
 * followed by a barrier, and what comes back before each barrier reply (message type, bundle
 * control type and id, error type and code, xid) must be the same. Covers an id opened twice,
 * unknown ids, flags that differ between open, add, close and commit, a closed bundle closed or
 * added to again, a reply type sent as a request, a bundled message whose xid is not the
 * bundle add's, a flow naming a group that does not exist, and a commit of good messages.
 */
class BundleErrorsOvsDifferentialTest extends OfDifferential {
    private static final Set<OFBundleFlags> ATOMIC = EnumSet.of(OFBundleFlags.ATOMIC);
    private static final Set<OFBundleFlags> ORDERED = EnumSet.of(OFBundleFlags.ORDERED);

    private static OFMessage control(OFFactory f, long xid, int id, Set<OFBundleFlags> flags, OFBundleCtrlType type) {
        return f.buildBundleCtrlMsg().setXid(xid).setBundleId(BundleId.of(id)).setFlags(flags).setBundleCtrlType(type)
                .build();
    }

    private static OFFlowAdd flow(OFFactory f, long xid, int dst) {
        return f.buildFlowAdd().setXid(xid).setPriority(100).setMatch(f.buildMatch()
                .setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setExact(MatchField.IPV4_DST, IPv4Address.of(0x0a000000 + dst)).build())
                .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(2), 0)))))
                .build();
    }

    private static OFMessage add(OFFactory f, long xid, int id, Set<OFBundleFlags> flags, OFMessage inner) {
        return f.buildBundleAddMsg().setXid(xid).setBundleId(BundleId.of(id)).setFlags(flags).setData(inner).build();
    }

    /** The steps: each a list of messages, then a barrier. */
    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        // An id opened twice, then used.
        s.add(f -> List.of(control(f, 1, 1, ATOMIC, OFBundleCtrlType.OPEN_REQUEST)));
        s.add(f -> List.of(control(f, 2, 1, ATOMIC, OFBundleCtrlType.OPEN_REQUEST)));
        s.add(f -> List.of(control(f, 3, 1, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        // Unknown ids.
        s.add(f -> List.of(control(f, 4, 7, ATOMIC, OFBundleCtrlType.CLOSE_REQUEST)));
        s.add(f -> List.of(control(f, 5, 7, ATOMIC, OFBundleCtrlType.DISCARD_REQUEST)));
        // Flags that differ from the open's: on an add, then on a commit.
        s.add(f -> List.of(control(f, 6, 2, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                add(f, 20, 2, ORDERED, flow(f, 20, 1))));
        s.add(f -> List.of(control(f, 7, 2, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        s.add(f -> List.of(control(f, 8, 5, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                add(f, 21, 5, ATOMIC, flow(f, 21, 2)),
                control(f, 9, 5, ORDERED, OFBundleCtrlType.COMMIT_REQUEST)));
        s.add(f -> List.of(control(f, 10, 5, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        s.add(f -> List.of(control(f, 11, 8, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                control(f, 12, 8, ORDERED, OFBundleCtrlType.CLOSE_REQUEST),
                control(f, 13, 8, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        // A closed bundle closed again, and added to.
        s.add(f -> List.of(control(f, 14, 3, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                control(f, 15, 3, ATOMIC, OFBundleCtrlType.CLOSE_REQUEST),
                control(f, 16, 3, ATOMIC, OFBundleCtrlType.CLOSE_REQUEST),
                control(f, 17, 3, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        s.add(f -> List.of(control(f, 18, 4, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                control(f, 19, 4, ATOMIC, OFBundleCtrlType.CLOSE_REQUEST),
                add(f, 22, 4, ATOMIC, flow(f, 22, 3)),
                control(f, 23, 4, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        // A reply's type sent as a request.
        s.add(f -> List.of(control(f, 24, 6, ATOMIC, OFBundleCtrlType.OPEN_REPLY)));
        // A bundled message whose xid is not the add's.
        s.add(f -> List.of(control(f, 25, 9, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                add(f, 26, 9, ATOMIC, flow(f, 27, 4)),
                control(f, 28, 9, ATOMIC, OFBundleCtrlType.DISCARD_REQUEST)));
        // A flow naming a group that does not exist, beside a good one, then the commit.
        s.add(f -> List.of(control(f, 29, 10, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                add(f, 30, 10, ATOMIC, flow(f, 30, 5)),
                add(f, 31, 10, ATOMIC, f.buildFlowAdd().setXid(31).setPriority(5).setMatch(f.buildMatch().build())
                        .setInstructions(List.of(f.instructions().applyActions(List.of(
                                f.actions().group(OFGroup.of(99)))))).build()),
                control(f, 32, 10, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        // Good messages committed.
        s.add(f -> List.of(control(f, 33, 11, ATOMIC, OFBundleCtrlType.OPEN_REQUEST),
                add(f, 34, 11, ATOMIC, flow(f, 34, 6)), add(f, 35, 11, ATOMIC, flow(f, 35, 7)),
                control(f, 36, 11, ATOMIC, OFBundleCtrlType.CLOSE_REQUEST),
                control(f, 37, 11, ATOMIC, OFBundleCtrlType.COMMIT_REQUEST)));
        return s;
    }

    @Test
    void bundlesThatGoWrongAreAnsweredAsOvsAnswersThem() throws Exception {
        assertSameAsOvs(OFVersion.OF_14, steps());
        String ovsRules = OVS.oracle().ofctl("dump-flows", "br0");
        long ovsCount = ovsRules.lines().filter(l -> l.contains("priority=100")).count();
        assertThat(ovsCount).as("OVS kept the committed bundle's flows: %s", ovsRules).isEqualTo(2);
        assertThat(ch.backend.ofproto.flowStats("br0")).as("the flows the bundles left, as on OVS").hasSize((int) ovsCount);
    }
}
