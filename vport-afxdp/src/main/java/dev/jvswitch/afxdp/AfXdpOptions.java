package dev.jvswitch.afxdp;

import java.util.Set;

import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.afxdp.xsk.Umem;
import dev.jvswitch.mempool.MbufPool;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * The options of an {@code afxdp} port (Open vSwitch's names where it has them), checked once when
 * the port is opened and by {@code jvswitchd --check}.
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code ifname}</td><td>(required)</td><td>the Linux interface, at most 15 bytes</td></tr>
 * <tr><td>{@code n_rxq}</td><td>1</td><td>rx queues: one XDP socket on each of the interface's
 *     queues 0..n_rxq-1 (frames arriving on other queues go to the kernel's stack)</td></tr>
 * <tr><td>{@code xdp-mode}</td><td>best-effort</td><td>{@code native-with-zerocopy},
 *     {@code native}, {@code generic}, or {@code best-effort}: the first of those that works</td></tr>
 * <tr><td>{@code use-need-wakeup}</td><td>true</td><td>kick the kernel only when a ring asks
 *     ({@code XDP_USE_NEED_WAKEUP}), else after every transmitted batch</td></tr>
 * <tr><td>{@code n_rxq_desc}</td><td>2048</td><td>entries of each fill and rx ring (a power of
 *     two): the mbufs each rx queue keeps in the kernel's hands</td></tr>
 * <tr><td>{@code n_txq_desc}</td><td>2048</td><td>entries of each tx and completion ring (a power
 *     of two): the most frames a tx queue has in flight</td></tr>
 * <tr><td>{@code promisc}</td><td>true</td><td>promiscuous mode while the port is open</td></tr>
 * </table>
 *
 * @param ifname        interface name
 * @param rxqs          rx queues ({@code n_rxq}); one socket each
 * @param txqs          tx queues: as many as the datapath asks (one per PMD), at most {@code rxqs}
 *                      (tx queue {@code i} sends through socket {@code i})
 * @param xdpMode       the XDP mode asked for
 * @param useNeedWakeup bind with {@code XDP_USE_NEED_WAKEUP}
 * @param rxqDesc       fill and rx ring entries
 * @param txqDesc       tx and completion ring entries
 * @param promiscuous   promiscuous mode
 */
public record AfXdpOptions(String ifname, int rxqs, int txqs, XdpMode xdpMode, boolean useNeedWakeup, int rxqDesc,
        int txqDesc, boolean promiscuous) {
    public static final Set<String> KNOWN = Set.of("ifname", "n_rxq", "xdp-mode", "use-need-wakeup", "n_rxq_desc",
            "n_txq_desc", "promisc");
    public static final int MAX_QUEUES = 64;
    public static final int DEFAULT_DESC = 2048;
    public static final int MIN_DESC = 64;
    public static final int MAX_DESC = 16384;

    /**
     * Reads and checks every option without opening anything (the provider's {@code validate} and
     * {@code open} both call it); with a pool, also that the pool can be the ports' UMEM and hold
     * what the fill rings keep. The message of a failure names the port and the option.
     */
    public static AfXdpOptions parse(NetdevConfig config) throws NetdevException {
        config.checkOptions(KNOWN);
        String ifname = config.requireOption("ifname").trim();
        Interfaces.checkName(new Where(config.name(), ifname));
        int rxqs = config.intOption("n_rxq", 1, 1, MAX_QUEUES);
        String mode = config.option("xdp-mode", XdpMode.BEST_EFFORT.label());
        XdpMode xdpMode = XdpMode.of(mode);
        if (xdpMode == null) {
            throw new NetdevException("port " + config.name() + ": option 'xdp-mode' must be best-effort,"
                    + " native-with-zerocopy, native or generic, got '" + mode + "'");
        }
        boolean wakeup = config.boolOption("use-need-wakeup", true);
        int rxqDesc = ringSize(config, "n_rxq_desc");
        int txqDesc = ringSize(config, "n_txq_desc");
        boolean promiscuous = config.boolOption("promisc", true);
        if (config.pool() != null) {
            checkPool(config, config.pool(), rxqs, rxqDesc);
        }
        return new AfXdpOptions(ifname, rxqs, Math.min(config.txqs(), rxqs), xdpMode, wakeup, rxqDesc, txqDesc,
                promiscuous);
    }

    private static int ringSize(NetdevConfig config, String key) throws NetdevException {
        int n = config.intOption(key, DEFAULT_DESC, MIN_DESC, MAX_DESC);
        if (Integer.bitCount(n) != 1) {
            throw new NetdevException("port " + config.name() + ": option '" + key + "' must be a power of two, got "
                    + n);
        }
        return n;
    }

    private static void checkPool(NetdevConfig config, MbufPool pool, int rxqs, int rxqDesc) throws NetdevException {
        if (Umem.of(pool) == null) {
            throw new NetdevException("port " + config.name() + ": the mempool's " + pool.slotBytes() + "-byte mbufs"
                    + " cannot be AF_XDP frames (they must be a power of two of at least 2048 bytes); the daemon"
                    + " makes them so when the config it starts with has an afxdp port: restart it");
        }
        long kept = (long) rxqs * rxqDesc;
        if (kept > pool.capacity() / 2) {
            throw new NetdevException("port " + config.name() + ": n_rxq x n_rxq_desc = " + kept + " mbufs would sit"
                    + " in the kernel's fill rings, more than half the mempool's " + pool.capacity()
                    + ": lower n_rxq_desc or raise mempool.mbufs");
        }
    }
}
