package dev.jvswitch.afxdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jvswitch.afxdp.xdp.RedirectProgram;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;
import dev.jvswitch.pmd.netdev.Netdevs;

/** Registration, option checking, the pool the type asks for, and the one-line errors a user sees. */
class AfXdpOptionsTest {
    private final MbufPool pool = MbufPool.create(MbufPoolConfig.of("options", 4096).withFrameSlots());

    @AfterEach
    void tearDown() {
        pool.checkNoLeaks();
        pool.close();
    }

    private NetdevConfig config(Map<String, String> options) {
        return new NetdevConfig("p1", "afxdp", options, pool, 4);
    }

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("ifname", "eth9");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void typeIsRegisteredWithTheServiceLoaderAndAsksForFrameSlots() {
        assertThat(Netdevs.providers().get("afxdp")).isInstanceOf(AfXdpProvider.class);
        MbufPoolConfig plain = MbufPoolConfig.of("x", 16);
        assertThat(Netdevs.poolFor(plain, List.of("afxdp")).slotBytes()).isEqualTo(4096);
        assertThat(Netdevs.poolFor(plain, List.of("afpacket", "null")).slotBytes()).isEqualTo(plain.slotBytes());
        assertThat(Netdevs.poolFor(plain, List.of("afpacket", "afxdp", "nosuchtype")).frameSlots()).isTrue();
    }

    @Test
    void optionsHaveTheirDefaults() throws NetdevException {
        AfXdpOptions o = AfXdpOptions.parse(config(with()));
        assertThat(o.ifname()).isEqualTo("eth9");
        assertThat(o.rxqs()).isEqualTo(1);
        assertThat(o.txqs()).as("no more tx queues than sockets").isEqualTo(1);
        assertThat(o.xdpMode()).isEqualTo(XdpMode.BEST_EFFORT);
        assertThat(o.useNeedWakeup()).isTrue();
        assertThat(o.rxqDesc()).isEqualTo(2048);
        assertThat(o.txqDesc()).isEqualTo(2048);
        assertThat(o.promiscuous()).isTrue();
        AfXdpOptions custom = AfXdpOptions.parse(config(with("n_rxq", "2", "xdp-mode", "Generic", "use-need-wakeup",
                "false", "n_rxq_desc", "512", "n_txq_desc", "4096", "promisc", "off")));
        assertThat(custom.rxqs()).isEqualTo(2);
        assertThat(custom.txqs()).isEqualTo(2);
        assertThat(custom.xdpMode()).isEqualTo(XdpMode.GENERIC);
        assertThat(custom.useNeedWakeup()).isFalse();
        assertThat(custom.rxqDesc()).isEqualTo(512);
        assertThat(custom.txqDesc()).isEqualTo(4096);
        assertThat(custom.promiscuous()).isFalse();
    }

    @Test
    void badOptionsFailWithAMessageNamingTheOption() {
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("rxqs", "2"))))
                .hasMessage("port p1: unknown option 'rxqs' for type afxdp (known: ifname, n_rxq, n_rxq_desc, n_txq_desc,"
                        + " promisc, use-need-wakeup, xdp-mode)");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(Map.of())))
                .hasMessage("port p1: option 'ifname' is required for type afxdp");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("n_rxq", "0"))))
                .hasMessage("port p1: option 'n_rxq' must be within 1..64, got 0");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("xdp-mode", "turbo"))))
                .hasMessage("port p1: option 'xdp-mode' must be best-effort, native-with-zerocopy, native or generic,"
                        + " got 'turbo'");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("n_rxq_desc", "1000"))))
                .hasMessage("port p1: option 'n_rxq_desc' must be a power of two, got 1000");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("n_txq_desc", "32"))))
                .hasMessage("port p1: option 'n_txq_desc' must be within 64..16384, got 32");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("use-need-wakeup", "sometimes"))))
                .hasMessage("port p1: option 'use-need-wakeup' must be true or false, got 'sometimes'");
        assertThatThrownBy(() -> AfXdpOptions.parse(config(with("ifname", "a-name-of-16-chr"))))
                .hasMessage("port p1: option 'ifname' must be 1..15 bytes, got 'a-name-of-16-chr'");
    }

    @Test
    void validateChecksOptionsWithoutAPoolAndOpensNothing() {
        NetdevConfig noPool = new NetdevConfig("p1", "afxdp", with("n_rxq", "65"), null);
        assertThat(Netdevs.validate(noPool)).containsExactly("port p1: option 'n_rxq' must be within 1..64, got 65");
        assertThat(Netdevs.validate(new NetdevConfig("p1", "afxdp", with("ifname", "jvsnosuch0"), null))).isEmpty();
    }

    @Test
    void aPoolThatCannotBeTheUmemOrHoldTheFillRingsIsRefusedBeforeAnySystemCall() {
        try (MbufPool plain = MbufPool.create(MbufPoolConfig.of("plain", 64))) {
            assertThatThrownBy(() -> Netdevs.open(new NetdevConfig("p1", "afxdp", with(), plain)))
                    .hasMessage("port p1: the mempool's 2176-byte mbufs cannot be AF_XDP frames (they must be a power of"
                            + " two of at least 2048 bytes); the daemon makes them so when the config it starts with"
                            + " has an afxdp port: restart it");
        }
        assertThatThrownBy(() -> Netdevs.open(config(with("n_rxq", "2", "n_rxq_desc", "2048"))))
                .hasMessage("port p1: n_rxq x n_rxq_desc = 4096 mbufs would sit in the kernel's fill rings, more than"
                        + " half the mempool's 4096: lower n_rxq_desc or raise mempool.mbufs");
    }

    @Test
    void unknownInterfaceIsOneClearError() {
        assertThatThrownBy(() -> Netdevs.open(config(with("ifname", "jvsnosuch0"))))
                .isInstanceOf(NetdevException.class)
                .hasMessage("port p1: interface jvsnosuch0: no such interface (if_nametoindex: No such device (ENODEV))");
    }

    @Test
    void theRedirectProgramIsSixInstructionsReferringToTheMap() {
        byte[] code = RedirectProgram.instructions(7);
        assertThat(code).hasSize(48);
        assertThat(code).startsWith(
                0x61, 0x12, 16, 0, 0, 0, 0, 0,       // r2 = *(u32 *)(r1 + 16)
                0x18, 0x11, 0, 0, 7, 0, 0, 0,        // r1 = map fd 7 (BPF_PSEUDO_MAP_FD)
                0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xb7, 0x03, 0, 0, 2, 0, 0, 0, // r3 = XDP_PASS
                (byte) 0x85, 0, 0, 0, 51, 0, 0, 0,   // call bpf_redirect_map
                (byte) 0x95, 0, 0, 0, 0, 0, 0, 0);   // exit
    }
}
