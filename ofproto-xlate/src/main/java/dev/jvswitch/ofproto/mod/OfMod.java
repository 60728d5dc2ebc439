package dev.jvswitch.ofproto.mod;

/**
 * A change to one bridge's OpenFlow state: a {@link FlowMod}, {@link GroupMod}, {@link MeterMod} or
 * {@link PortMod}. {@code Ofproto.apply(bridge, mods)} takes a list of them as one transaction,
 * as an OpenFlow bundle commits its messages.
 *
 * <p><b>Thread-safety:</b> every implementation is immutable.
 */
public sealed interface OfMod permits FlowMod, GroupMod, PortMod, MeterMod {
}
