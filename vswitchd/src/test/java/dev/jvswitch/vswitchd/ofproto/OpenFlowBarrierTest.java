package dev.jvswitch.vswitchd.ofproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.ofproto.revalidate.RevalidatorPool;
import dev.jvswitch.pmd.upcall.UpcallOutcome;
import dev.jvswitch.openflow.OfTestClient;
import dev.jvswitch.pmd.netdev.NetdevStats;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.sh.Await;
import dev.jvswitch.vswitchd.TestSwitch;

/**
 * An OpenFlow barrier as OVS answers it: once the tables hold every earlier request (the next
 * upcall translates against them), not after the revalidators have fixed the megaflows of the
 * old tables, which they do on their own right after. The revalidators are stopped while the
 * change and its barrier go through, so nothing can revalidate: the reply still comes, the change
 * reaches a new upcall, an old megaflow still forwards by the old rule (as on OVS until its
 * revalidators run), and once the revalidators run again it follows the new rule. Traffic goes
 * through ring port pairs (p1 -> p2, p3 -> p4, p5 -> p6), sent by the datapath's packet execute.
 */
class OpenFlowBarrierTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String config(Path socket, String tag) {
        StringBuilder ports = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            int peer = i % 2 == 1 ? i + 1 : i - 1;
            ports.append("          ").append(tag).append(i).append(": {type: ring, ofport: ").append(i)
                    .append(", options: {peer: ").append(tag).append(peer).append("}}\n");
        }
        return ("""
                datapath:
                  pmd-idle: backoff
                mempool:
                  mbufs: 512
                bridges:
                  br0:
                    ports:
                """ + ports + """
                    flows:
                      - priority=10,in_port=2,actions=drop
                      - priority=10,in_port=4,actions=drop
                      - priority=0,actions=drop
                    listen: punix:%s
                control:
                  socket: ctl.sock
                """).formatted(socket);
    }

    static long tx(TestSwitch s, String port) {
        NetdevStats st = new NetdevStats();
        s.sw.datapath().port(s.sw.dpPort(port)).readStats(st);
        return st.txPackets;
    }

    private static long rx(TestSwitch s, String port) {
        NetdevStats st = new NetdevStats();
        s.sw.datapath().port(s.sw.dpPort(port)).readStats(st);
        return st.rxPackets;
    }

    /** Sends one UDP frame out of {@code port}; it arrives on the port's ring peer. */
    private static void sendOut(TestSwitch s, String port) {
        byte[] frame = Frames.udp4().build();
        assertThat(s.sw.datapath().execute(frame, DpActions.builder().output(s.sw.dpPort(port)).build())).isTrue();
    }

    /** Starts the switch's OpenFlow channel with {@code change} as its change thread. */
    static void startOpenFlow(TestSwitch s, ExecutorService change) throws Exception {
        s.sw.startOpenFlow(task -> {
            try {
                change.execute(task);
                return true;
            } catch (RejectedExecutionException e) {
                return false;
            }
        });
    }

    private static OFFlowAdd toP5(OfTestClient c, int inPort, long xid) {
        return c.f.buildFlowAdd().setXid(xid).setPriority(10)
                .setMatch(c.f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build())
                .setInstructions(List.of(c.f.instructions().applyActions(List.of(c.f.actions().output(OFPort.of(5), 0)))))
                .build();
    }

    @Test
    void aBarrierIsAnsweredOnceTheTablesHoldTheChangeNotAfterTheRevalidators() throws Exception {
        String tag = "bar" + ProcessHandle.current().pid() + "x";
        Path socket = dir.resolve("br0.mgmt");
        ExecutorService change = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-change"));
        try (TestSwitch s = TestSwitch.start(dir, config(socket, tag), false)) {
            startOpenFlow(s, change);
            OfprotoService sp = s.sw.ofproto();
            RevalidatorPool pool = sp.revalidators();
            // A megaflow of the first tables: in_port=2 drops.
            sendOut(s, tag + "1");
            Await.until(WAIT, () -> rx(s, tag + "2") == 1 && s.sw.datapath().ukeys().size() == 1,
                    () -> "the first packet made one megaflow: " + s.sw.datapath().ukeys().size());

            pool.stop();
            long before = pool.revalidatedSeq();
            try (OfTestClient c = OfTestClient.connect(socket, OFVersion.OF_13)) {
                c.send(toP5(c, 2, 11));
                c.send(toP5(c, 4, 12));
                // A refused request before the barrier: its error comes first, as OpenFlow orders them.
                c.send(c.f.buildFlowAdd().setXid(13).setPriority(20).setMatch(c.f.buildMatch().build())
                        .setInstructions(List.of(c.f.instructions().applyActions(List.of(
                                c.f.actions().group(org.projectfloodlight.openflow.types.OFGroup.of(99)))))).build());
                c.send(c.f.buildBarrierRequest().setXid(14).build());
                List<OFMessage> got = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    OFMessage m = c.read();
                    assertThat(m).as("a reply before the barrier's; so far %s", got).isNotNull();
                    got.add(m);
                    if (m instanceof OFBarrierReply) {
                        break;
                    }
                }
                assertThat(got).hasSize(2);
                assertThat(got.get(0)).isInstanceOfSatisfying(OFErrorMsg.class, e -> assertThat(e.getXid()).isEqualTo(13));
                assertThat(got.get(1).getXid()).isEqualTo(14);
            }
            // Nothing revalidated: the barrier did not wait for (or run) the revalidators.
            assertThat(pool.revalidatedSeq()).isEqualTo(before);
            assertThat(pool.revalidatedSeq()).isLessThan(sp.ofproto().revalSeq());

            // A new upcall translates against the new tables: p3 -> p4 -> output p5.
            sendOut(s, tag + "3");
            Await.until(WAIT, () -> tx(s, tag + "5") == 1, () -> "p4's packet went out of p5: " + tx(s, tag + "5"));
            // The old megaflow still drops what comes in on p2 until the revalidators run.
            sendOut(s, tag + "1");
            Await.until(WAIT, () -> rx(s, tag + "2") == 2, () -> "p2 received the second packet");
            assertThat(tx(s, tag + "5")).as("the stale megaflow of in_port=2 still drops").isEqualTo(1);

            pool.start();
            long seq = sp.ofproto().revalSeq();
            Await.until(WAIT, () -> pool.revalidatedSeq() >= seq, () -> "revalidated " + pool.revalidatedSeq()
                    + " of " + seq);
            sendOut(s, tag + "1");
            Await.until(WAIT, () -> tx(s, tag + "5") == 2, () -> "p2's packet follows the new rule once revalidated: "
                    + tx(s, tag + "5"));
        } finally {
            change.shutdownNow();
        }
    }

    /**
     * OVS runs a packet-out before it reads the next request, so a barrier reply means every
     * earlier packet-out has left. The PMD is held inside an upcall (a handler that waits for the
     * test) while packet-outs and a barrier arrive: the barrier is not answered while the PMD
     * holds them, and once the PMD is let go it is answered with every packet out of its port.
     */
    @Test
    void aBarrierIsAnsweredOnceEveryEarlierPacketOutHasLeftItsPort() throws Exception {
        String tag = "bpo" + ProcessHandle.current().pid() + "x";
        Path socket = dir.resolve("br0.mgmt");
        ExecutorService change = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-change"));
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-reader"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestSwitch s = TestSwitch.start(dir, config(socket, tag), false)) {
            startOpenFlow(s, change);
            s.sw.datapath().upcallHandler((pmdId, key, packet, result) -> {
                entered.countDown();
                try {
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                result.doNotInstall();
                return UpcallOutcome.OK;
            });
            // A frame out of p1 comes in on p2, misses, and holds the PMD in the upcall.
            sendOut(s, tag + "1");
            assertThat(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the PMD is in the upcall").isTrue();
            byte[] frame = Frames.udp4().build();
            int n = 64;
            try (OfTestClient c = OfTestClient.connect(socket, OFVersion.OF_13)) {
                for (int i = 0; i < n; i++) {
                    c.send(c.f.buildPacketOut().setXid(1000 + i)
                            .setBufferId(org.projectfloodlight.openflow.types.OFBufferId.NO_BUFFER)
                            .setInPort(OFPort.CONTROLLER)
                            .setActions(List.of(c.f.actions().output(OFPort.of(1), 0)))
                            .setData(frame).build());
                }
                c.send(c.f.buildBarrierRequest().setXid(7).build());
                Future<OFMessage> reply = reader.submit(c::read);
                // A bounded negative check: the reply must not come while the PMD holds the packets
                // (without the wait it comes within milliseconds; the barrier waits up to 2 s).
                assertThatThrownBy(() -> reply.get(300, TimeUnit.MILLISECONDS))
                        .as("the barrier is answered while its packet-outs wait in the PMD")
                        .isInstanceOf(TimeoutException.class);
                assertThat(tx(s, tag + "1")).isEqualTo(1);
                release.countDown();
                assertThat(reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .isInstanceOfSatisfying(OFBarrierReply.class, r -> assertThat(r.getXid()).isEqualTo(7));
                assertThat(tx(s, tag + "1")).as("sent out of p1 when the barrier was answered").isEqualTo(1L + n);
            }
        } finally {
            release.countDown();
            reader.shutdownNow();
            change.shutdownNow();
        }
    }
}
