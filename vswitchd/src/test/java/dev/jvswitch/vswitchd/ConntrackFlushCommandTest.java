package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.conntrack.Conntrack;
import dev.jvswitch.conntrack.CtContext;
import dev.jvswitch.mempool.Mbuf;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.testkit.frame.Frames;

/**
 * {@code jvsctl dpctl/flush-conntrack} with OVS 3.x's arguments, against a switch's tracker:
 * partial original and reply tuples, {@code mark=} and {@code labels=}, a zone, the datapath
 * name; a whole tuple naming no connection fails as before, a partial one naming none does not;
 * bad arguments are one line and a non-zero exit.
 */
class ConntrackFlushCommandTest {
    @TempDir
    Path dir;
    private TestSwitch ts;
    private ControlAgent agent;
    private MbufPool pool;
    private Conntrack ct;
    private CtContext ctx;

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir);
        CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        agent = ts.agent(clock);
        pool = MbufPool.create(MbufPoolConfig.of("ct-flush-cmd", 4).withCacheSize(0));
        ct = ts.sw.datapath().conntrack();
        ctx = ct.newContext();
    }

    @AfterEach
    void tearDown() {
        pool.close();
        ts.close();
    }

    private Ctl ctl(String... args) throws Exception {
        return ts.ctl(agent, args);
    }

    /** Commits UDP 10.1.1.{src}:{sport} to 10.1.1.{dst}:{dport} in {@code zone} with {@code mark}. */
    private void commit(int src, int dst, int sport, int dport, int zone, int mark) {
        byte[] frame = Frames.udp4().ip("10.1.1." + src, "10.1.1." + dst).ports(sport, dport).build();
        Mbuf m = pool.get();
        try {
            m.copyFrom(frame, 0, frame.length);
            m.headerOffsets(0, 14, -1);
            Datapath dp = ts.sw.datapath();
            ct.execute(ctx, m, zone, Conntrack.COMMIT, mark, -1, 0, 0, 0, 0, dp.nowMs());
        } finally {
            pool.put(m);
        }
    }

    private String dump() throws Exception {
        return ctl("dpctl/dump-conntrack").out();
    }

    @Test
    void partialTuplesMarkAndLabelsFlushWhatTheyName() throws Exception {
        commit(1, 2, 1, 2, 0, 0xaa);
        commit(2, 1, 2, 1, 5, 0);
        commit(3, 4, 7, 8, 5, 0);
        assertThat(ctl("dpctl/flush-conntrack", "netdev@ovs-netdev", "ct_nw_proto=17,ct_tp_src=1").exit()).isZero();
        assertThat(dump()).doesNotContain("orig=(src=10.1.1.1,").contains("orig=(src=10.1.1.2,");
        assertThat(ctl("dpctl/flush-conntrack", "zone=5", "", "ct_nw_src=10.1.1.1").exit()).isZero();
        assertThat(dump()).doesNotContain("orig=(src=10.1.1.2").contains("src=10.1.1.3");
        assertThat(ctl("dpctl/flush-conntrack", "ct_nw_dst=10.9.9.9").exit()).as("naming none is no error").isZero();

        commit(1, 2, 1, 2, 0, 0xaa);
        assertThat(ctl("dpctl/flush-conntrack", "mark=2/2").exit()).isZero();
        assertThat(dump()).doesNotContain("mark=170").contains("src=10.1.1.3");
        assertThat(ctl("dpctl/flush-conntrack", "zone=5", "labels=0/0xff").exit()).isZero();
        assertThat(ct.connectionCount()).isZero();
    }

    @Test
    void aWholeTupleStillNamesOneConnectionAndBadArgumentsAreOneLine() throws Exception {
        commit(1, 2, 1, 2, 0, 0);
        Ctl none = ctl("dpctl/flush-conntrack", "ct_nw_src=10.1.1.1,ct_nw_dst=10.1.1.2,ct_nw_proto=17,ct_tp_src=1,"
                + "ct_tp_dst=3");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("failed to flush conntrack");
        assertThat(ctl("dpctl/flush-conntrack", "ct_nw_src=10.1.1.2,ct_nw_dst=10.1.1.1,ct_nw_proto=17,ct_tp_src=2,"
                + "ct_tp_dst=1").exit()).as("the reply tuple of a connection without NAT").isZero();
        assertThat(ct.connectionCount()).isZero();

        Ctl extra = ctl("dpctl/flush-conntrack", "zone=1", "ct_nw_src=10.1.1.1", "ct_nw_dst=10.1.1.1", "invalid");
        assertThat(extra.exit()).isNotZero();
        assertThat(extra.err().trim()).startsWith("jvsctl: dpctl/flush-conntrack: invalid arguments").doesNotContain("\n");
        Ctl field = ctl("dpctl/flush-conntrack", "zone=1", "ct_nw_src=10.1.1.1,invalid=invalid");
        assertThat(field.err().trim()).isEqualTo("jvsctl: dpctl/flush-conntrack: invalid conntrack tuple field: invalid");
        assertThat(ctl("dpctl/flush-conntrack", "mark=invalid").err()).contains("failed to parse mark");
        assertThat(ctl("dpctl/flush-conntrack", "labels=invalid").err()).contains("failed to parse labels");
        assertThat(ctl("dpctl/flush-conntrack", "ct_nw_src=10.1.1.1,ct_nw_dst=10.1.1.2,ct_nw_proto=17").exit())
                .as("a partial tuple is accepted now").isZero();
    }
}
