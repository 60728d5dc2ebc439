package dev.jvswitch.ofproto.mod;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.jvswitch.ofproto.match.Match;

/**
 * One rule as a flow stats reply reports it (OVS's {@code ofputil_flow_stats}): its definition,
 * counters and ages at the moment of the dump. {@code Ofproto.flowStats} makes them;
 * {@code ovs-ofctl dump-flows}'s layout is one printer
 * ({@code dev.jvswitch.ofproto.syntax.FlowSyntax#dumpFlow}); the OpenFlow channel encodes the
 * same record.
 *
 * @param tableId      0..{@value FlowMod#MAX_TABLE_ID}
 * @param flags        the rule's {@linkplain FlowMod.Flag#isRuleState() state flags}
 * @param instructions in execution order
 * @param durationNs   time since the rule was added
 * @param idleAgeNs    time since a packet last hit the rule (or since it was added)
 * @param packets      packets that hit the rule
 * @param bytes        bytes of those packets
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FlowStats(int tableId, int priority, Match match, long cookie, int idleTimeoutSec, int hardTimeoutSec,
        Set<FlowMod.Flag> flags, List<Instruction> instructions, long durationNs, long idleAgeNs, long packets,
        long bytes) {
    public FlowStats {
        Objects.requireNonNull(match, "match");
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        instructions = List.copyOf(instructions);
    }

    /** The add that would make this rule again (what dump-flows output means when read back). */
    public FlowMod toAdd() {
        return FlowMod.builder(FlowMod.Command.ADD).tableId(tableId).priority(priority).match(match).cookie(cookie)
                .idleTimeoutSec(idleTimeoutSec).hardTimeoutSec(hardTimeoutSec).flags(flags)
                .instructions(instructions).build();
    }
}
