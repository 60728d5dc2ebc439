/**
 * The port SPI (OVS's {@code netdev_class}): {@link dev.jvswitch.pmd.netdev.Netdev} with its
 * {@link dev.jvswitch.pmd.netdev.NetdevRxq rx} and {@link dev.jvswitch.pmd.netdev.NetdevTxq tx}
 * queues, and {@link dev.jvswitch.pmd.netdev.NetdevProvider}, found by
 * {@link java.util.ServiceLoader} through {@link dev.jvswitch.pmd.netdev.Netdevs}, which opens a
 * port or only checks its options ({@code validate}, for {@code jvswitchd --check}).
 *
 * <p>A port type extends {@link dev.jvswitch.pmd.netdev.AbstractNetdev} with queues extending
 * {@link dev.jvswitch.pmd.netdev.AbstractRxq} and {@link dev.jvswitch.pmd.netdev.AbstractTxq}:
 * the bases keep name, type, queues and their {@link dev.jvswitch.pmd.netdev.QueueCounters},
 * MTU, address, link state and the open/refresh/close life, so the type writes its receive and
 * send, what it opens and closes, and how it learns its link state. Its provider reads the
 * options once, in a parse method that {@code open} and {@code validate} share
 * ({@link dev.jvswitch.pmd.netdev.NetdevConfig#errorsOf}). Every type passes the shared
 * {@code NetdevContractTest} from this module's test-jar.
 */
package dev.jvswitch.pmd.netdev;
