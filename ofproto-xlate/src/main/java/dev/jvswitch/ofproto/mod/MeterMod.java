package dev.jvswitch.ofproto.mod;

import dev.jvswitch.ofproto.meter.Meter;

/**
 * A meter mod ({@code OFPT_METER_MOD}): add, modify or delete a meter of one bridge. Deleting a
 * meter deletes the rules whose actions name it (OpenFlow's rule); deleting {@link Meter#ALL}
 * deletes every meter; deleting a meter that does not exist does nothing, as in OVS.
 *
 * @param command what to do
 * @param meter   the meter (for a delete only its id counts)
 */
public record MeterMod(Command command, Meter meter) implements OfMod {
    public enum Command { ADD, MODIFY, DELETE }

    /** A delete of meter {@code meterId} ({@link Meter#ALL}: every meter). */
    public static MeterMod delete(long meterId) {
        return new MeterMod(Command.DELETE, new Meter(meterId, 0, java.util.List.of()));
    }

    public long meterId() {
        return meter.meterId();
    }
}
