/**
 * The revalidators: a pool of threads that ages megaflows out, keeps their number under
 * the flow limit, fixes or deletes megaflows whose OpenFlow translation changed, pushes megaflow
 * statistics to the rules, and lets a table change wait until every PMD forwards by it.
 *
 * <p>The slow path plugs in through {@link dev.jvswitch.ofproto.revalidate.Revalidation}; the
 * datapath is reached through its ukey map and flow API only (commands to the owning PMD), never
 * by touching a PMD's tables. Entry point: {@link dev.jvswitch.ofproto.revalidate.RevalidatorPool};
 * its threads are Agrona agents (a leader, {@code RevalidatorLeader}, and workers,
 * {@code RevalidatorWorker}) with a proxy of typed commands in front of the leader
 * ({@code RevalidatorProxy}).
 * {@link dev.jvswitch.ofproto.OfprotoRevalidation} is the implementation for the real
 * slow path ({@link dev.jvswitch.ofproto.Ofproto}); {@link dev.jvswitch.ofproto.revalidate.FixedRevalidation}
 * serves datapaths with a fixed rule and no tables.
 */
package dev.jvswitch.ofproto.revalidate;
