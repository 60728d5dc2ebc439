/**
 * In-memory port types, found through {@link java.util.ServiceLoader} like every port type:
 *
 * <ul>
 *   <li>{@code ring} ({@link dev.jvswitch.pmd.port.RingPort}): two ports joined like a veth pair
 *       through SPSC rings, zero copy; options {@code peer}, {@code queues}, {@code size};
 *       {@link dev.jvswitch.pmd.port.RingPorts#pair} builds a pair without the SPI.</li>
 *   <li>{@code pcap} ({@link dev.jvswitch.pmd.port.PcapPort}): replays a capture held off-heap
 *       and optionally records what it is sent; options {@code file}, {@code loop}, {@code rxqs},
 *       {@code out}.</li>
 *   <li>{@code null} ({@link dev.jvswitch.pmd.port.NullPort}): receives nothing, discards and
 *       counts what it is sent.</li>
 * </ul>
 *
 * <p>Every type also takes {@code mac} (default: a stable locally administered address derived
 * from the port name) and {@code mtu} (default 1500).
 */
package dev.jvswitch.pmd.port;
