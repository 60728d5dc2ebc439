package dev.jvswitch.ofproto.xlate;

import dev.jvswitch.ofproto.mod.FlowMod;

/**
 * A flow a {@code learn} action made while translating a packet (what OVS keeps in an
 * {@code XC_LEARN} cache entry): the add to apply to {@code bridge}, and the learn's limit. The
 * upcall applies it; the revalidators apply it again whenever the megaflow that learned it sees
 * packets, which keeps the learned flow (and its hard timeout) fresh, as OVS's
 * {@code xlate_push_stats} does.
 *
 * @param bridge the bridge whose table learns
 * @param mod    an add (with the learn's table, priority, cookie, timeouts, match and actions)
 * @param limit  most flows with the learn's cookie the table may hold for this learn to add one; 0: any
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record Learned(String bridge, FlowMod mod, int limit) {
}
