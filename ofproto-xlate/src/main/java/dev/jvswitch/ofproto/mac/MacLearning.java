package dev.jvswitch.ofproto.mac;

/**
 * A source MAC a translation learned (or would learn): {@code mac} in {@code vlan} of
 * {@code bridge} is on {@code ofPort}. Packets of an installed megaflow never reach translation
 * again, so a revalidator that sees the flow used re-learns these entries to keep them from
 * aging out (OVS's {@code XC_NORMAL} cache entry).
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record MacLearning(String bridge, int vlan, long mac, int ofPort) {
}
