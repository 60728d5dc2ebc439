package dev.jvswitch.afpacket;

import java.util.Set;

import dev.jvswitch.afpacket.rx.RxRingMode;
import dev.jvswitch.pmd.netdev.sys.Interfaces;
import dev.jvswitch.afpacket.sys.RingGeometry;
import dev.jvswitch.afpacket.sys.Tpacket2Flyweight;
import dev.jvswitch.pmd.netdev.sys.Where;
import dev.jvswitch.pmd.netdev.NetdevConfig;
import dev.jvswitch.pmd.netdev.NetdevException;

/**
 * The options of an {@code afpacket} port, checked once when the port is opened.
 *
 * <table>
 * <caption>Options</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code ifname}</td><td>(required)</td><td>the Linux interface, at most 15 bytes</td></tr>
 * <tr><td>{@code rxqs}</td><td>1</td><td>rx queues; more than one opens that many sockets in
 *     one {@code PACKET_FANOUT_HASH} group so several PMDs share the interface</td></tr>
 * <tr><td>{@code rx-ring}</td><td>v2</td><td>{@code v2}: TPACKET_V2, a slot per frame, each frame
 *     readable as soon as the kernel wrote it; {@code v3}: TPACKET_V3 blocks, handed over when full
 *     or when the kernel's block timer fires (≥ 1 ms), see {@link RxRingMode}</td></tr>
 * <tr><td>{@code block-size}</td><td>65536</td><td>bytes per ring block, multiple of 4096</td></tr>
 * <tr><td>{@code block-count}</td><td>64</td><td>blocks per ring (each rx and tx queue has one ring)</td></tr>
 * <tr><td>{@code frame-size}</td><td>2048</td><td>tx slot size; the largest frame sent is 32 bytes less.
 *     Unless given, the slots grow with the interface's MTU (a tagged frame of the MTU, plus the
 *     slot's header, rounded up to 16), so a jumbo MTU needs no option</td></tr>
 * <tr><td>{@code promisc}</td><td>true</td><td>promiscuous mode while the port is open</td></tr>
 * <tr><td>{@code qdisc-bypass}</td><td>true</td><td>send straight to the driver ({@code PACKET_QDISC_BYPASS})</td></tr>
 * </table>
 *
 * @param ifname      interface name
 * @param rxqs        number of rx queues
 * @param txqs        number of tx queues (one per PMD, as the datapath asks)
 * @param geometry    shape of every ring
 * @param promiscuous promiscuous mode
 * @param qdiscBypass bypass the qdisc layer on transmit
 * @param rxRing      how rx rings hand frames over
 * @param rxDataRoomBytes the largest frame an rx mbuf holds (the pool's data room): a V2 rx slot
 *                    is sized to take it
 * @param frameSizeSet whether {@code frame-size} was given (then tx slots keep that size)
 */
public record AfPacketOptions(String ifname, int rxqs, int txqs, RingGeometry geometry, boolean promiscuous,
        boolean qdiscBypass, RxRingMode rxRing, int rxDataRoomBytes, boolean frameSizeSet) {
    public static final Set<String> KNOWN = Set.of(
            "ifname", "rxqs", "rx-ring", "block-size", "block-count", "frame-size", "promisc", "qdisc-bypass");
    /** Frames an mbuf holds when a port is opened without a pool (tests of option parsing). */
    private static final int DEFAULT_DATA_ROOM = 2048;
    public static final int MAX_QUEUES = 64;
    /** An Ethernet header and one 802.1Q tag: what a frame adds to the MTU. */
    private static final int ETH_AND_VLAN_BYTES = 18;

    /**
     * Reads and checks every option without opening anything (the provider's {@code validate} and
     * {@code open} both call it); the message of a failure names the port and the option.
     */
    public static AfPacketOptions parse(NetdevConfig config) throws NetdevException {
        config.checkOptions(KNOWN);
        String ifname = config.requireOption("ifname").trim();
        Interfaces.checkName(new Where(config.name(), ifname));
        int rxqs = config.intOption("rxqs", 1, 1, MAX_QUEUES);
        if (config.txqs() > MAX_QUEUES) {
            throw new NetdevException("port " + config.name() + ": at most " + MAX_QUEUES + " tx queues, asked for "
                    + config.txqs());
        }
        RingGeometry geometry = RingGeometry.fromOptions(config);
        boolean promiscuous = config.boolOption("promisc", true);
        boolean qdiscBypass = config.boolOption("qdisc-bypass", true);
        String ring = config.option("rx-ring", RxRingMode.V2.label());
        RxRingMode rxRing = RxRingMode.of(ring);
        if (rxRing == null) {
            throw new NetdevException("port " + config.name() + ": option 'rx-ring' must be v2 or v3, got '" + ring + "'");
        }
        int dataRoom = config.pool() == null ? DEFAULT_DATA_ROOM : config.pool().config().dataRoomBytes();
        return new AfPacketOptions(ifname, rxqs, config.txqs(), geometry, promiscuous, qdiscBypass, rxRing, dataRoom,
                config.options().containsKey("frame-size"));
    }

    /**
     * The shape of the tx rings for an interface of MTU {@code mtu}: {@link #geometry}, with
     * slots large enough for a VLAN-tagged frame of that MTU unless {@code frame-size} was given
     * (never larger than a block: what does not fit is dropped as oversize, as with a small
     * {@code frame-size}).
     */
    public RingGeometry txGeometry(int mtu) {
        int want = (mtu + ETH_AND_VLAN_BYTES + Tpacket2Flyweight.DATA_OFFSET + 15) & ~15;
        int frame = frameSizeSet ? geometry.frameSizeBytes()
                : Math.min(Math.max(geometry.frameSizeBytes(), want), geometry.blockSizeBytes());
        return frame == geometry.frameSizeBytes() ? geometry
                : new RingGeometry(geometry.blockSizeBytes(), geometry.blockCount(), frame);
    }
}
