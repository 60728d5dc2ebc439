/**
 * The rx stage's bookkeeping: {@link dev.jvswitch.pmd.rx.RxqPoller} is an rx queue as one PMD
 * polls it (port number, queue, measured busy time), and {@link dev.jvswitch.pmd.rx.RxqAssigner}
 * decides which PMD polls which queue ({@code pmd-rxq-assign}, {@code pmd-rxq-affinity}). It
 * knows ports only through the {@link dev.jvswitch.pmd.netdev} SPI, so the datapath above can
 * use it without a cycle.
 */
package dev.jvswitch.pmd.rx;
