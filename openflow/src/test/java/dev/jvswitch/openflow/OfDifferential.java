package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

import dev.jvswitch.testkit.ovs.OvsOracle;
import dev.jvswitch.testkit.ovs.OvsOracleExtension;

/**
 * The channel against OVS, message by message: the same steps (each a few OpenFlow messages,
 * then a barrier) go to a private {@code ovs-vswitchd} ({@link OvsOracle}, dummy datapath) and to
 * the channel, and what comes back before each barrier reply must be the same, as the test
 * describes it: the message type and xid, an error's type and code (and an experimenter error's
 * experimenter), a bundle control's id, type and flags. A test class extends it: one OVS for the
 * class (bridge br0, ports 1 and 2), and before each test a new channel ({@link TestChannel},
 * br0 with ports 1 and 2) and OVS's tables emptied of flows and meters.
 */
abstract class OfDifferential {
    /** The barrier closing each step. */
    static final long BARRIER_XID = 0xbabe;

    @RegisterExtension
    static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2);

    /** The channel under test, new for each test. */
    TestChannel ch;

    /** One step: the messages to send, built with the connection's factory. */
    interface Step extends Function<OFFactory, List<OFMessage>> {
    }

    @BeforeEach
    void startBoth() {
        ch = TestChannel.start(2);
        OVS.oracle().replaceFlows(List.of());
        OVS.oracle().ofctl("-O", "OpenFlow13", "del-meters", "br0");
    }

    @AfterEach
    void stopChannel() {
        ch.close();
    }

    /** {@link #assertSameAsOvs(OvsOracle, int, OFVersion, List)} of this class's OVS and channel. */
    void assertSameAsOvs(OFVersion v, List<Step> steps) throws Exception {
        assertSameAsOvs(OVS.oracle(), ch.port, v, steps);
    }

    /**
     * Runs {@code steps} on OVS (bridge br0 of {@code ovs}) and on the channel listening on TCP
     * {@code port}, at OpenFlow {@code v}; fails listing every step's answers when they differ.
     */
    static void assertSameAsOvs(OvsOracle ovs, int port, OFVersion v, List<Step> steps) throws Exception {
        List<List<String>> theirs;
        try (OfTestClient c = OfTestClient.connect(Path.of(ovs.dir().toString(), "br0.mgmt"), v)) {
            theirs = run(c, steps);
        }
        List<List<String>> ours;
        try (OfTestClient c = OfTestClient.connect(port, v)) {
            ours = run(c, steps);
        }
        assertThat(ours).as("per step, what came back before the barrier reply (OVS first)").isEqualTo(theirs);
    }

    /** Sends each step and its barrier; returns, per step, what came back before the barrier's reply. */
    static List<List<String>> run(OfTestClient c, List<Step> steps) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (Step step : steps) {
            List<OFMessage> msgs = new ArrayList<>(step.apply(c.f));
            msgs.add(c.f.buildBarrierRequest().setXid(BARRIER_XID).build());
            c.sendAll(msgs);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] m = c.readRaw();
                assertThat(m).as("the connection closed after %s", got).isNotNull();
                String d = describe(m);
                if (d.equals("type=21 xid=" + BARRIER_XID)) {
                    break;
                }
                got.add(d);
            }
            out.add(got);
        }
        return out;
    }

    /** One message as the tests compare it. */
    static String describe(byte[] m) {
        int type = m[1] & 0xff;
        long xid = u32(m, 4);
        if (type == 1) {
            int errType = u16(m, 8);
            String s = "error type=" + errType + " code=" + u16(m, 10);
            if (errType == 0xffff && m.length >= 16) {
                s += " experimenter=0x" + Long.toHexString(u32(m, 12));
            }
            return s + " xid=" + xid;
        }
        if (type == 33) {
            return "bundle_control id=" + u32(m, 8) + " type=" + u16(m, 12) + " flags=" + u16(m, 14) + " xid=" + xid;
        }
        if (type == 4 && m.length >= 24 && u32(m, 8) == 0x4f4e4600L && u32(m, 12) == 2300) {
            return "onf_bundle_control id=" + u32(m, 16) + " type=" + u16(m, 20) + " flags=" + u16(m, 22) + " xid="
                    + xid;
        }
        return "type=" + type + " xid=" + xid;
    }

    private static int u16(byte[] m, int at) {
        return ((m[at] & 0xff) << 8) | (m[at + 1] & 0xff);
    }

    private static long u32(byte[] m, int at) {
        return ((m[at] & 0xffL) << 24) | ((m[at + 1] & 0xff) << 16) | ((m[at + 2] & 0xff) << 8) | (m[at + 3] & 0xff);
    }
}
