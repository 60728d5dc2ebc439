package dev.jvswitch.ofproto.mod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.match.Match;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * One flow table change (OVS's {@code ofputil_flow_mod}, OpenFlow's {@code OFPT_FLOW_MOD}): the
 * model every producer makes and {@code Ofproto} consumes. The ovs-ofctl text of
 * {@code add-flow}, {@code mod-flows} and {@code del-flows} is one producer
 * ({@code dev.jvswitch.ofproto.syntax.FlowSyntax}); the OpenFlow channel decodes the same record.
 *
 * <p><b>What each command does</b> (as OVS's ofproto does it):
 * <ul>
 *   <li>{@link Command#ADD}: puts a new rule in {@link #tableId()} (never {@link #ALL_TABLES})
 *       with {@link #priority()}, {@link #match()}, {@link #cookie()}, the timeouts, the
 *       {@linkplain Flag#isRuleState() state flags} and {@link #instructions()}. A rule with the
 *       same table, priority and match is replaced, with fresh counters. With
 *       {@link Flag#CHECK_OVERLAP}, a rule of the same priority whose match overlaps is an
 *       error instead.</li>
 *   <li>{@link Command#MODIFY} / {@link Command#MODIFY_STRICT}: gives the selected rules
 *       {@link #instructions()}; they keep their cookie, timeouts, flags, age and counters (the
 *       counters restart with {@link Flag#RESET_COUNTS}). Selecting nothing changes nothing.</li>
 *   <li>{@link Command#DELETE} / {@link Command#DELETE_STRICT}: removes the selected rules.</li>
 * </ul>
 * <b>Selection</b> (modify and delete): rules in {@link #tableId()} (every table for
 * {@link #ALL_TABLES}) whose cookie equals {@link #cookie()} on the bits of {@link #cookieMask()}
 * (a mask of 0 selects any cookie); non-strict, whose match is within {@link #match()} whatever
 * their priority; strict, whose match equals it and whose priority is {@link #priority()}; and,
 * unless {@link OfPorts#ANY}, that output to {@link #outPort()}; unless {@link #ANY_GROUP}, that
 * send to group {@link #outGroup()}. (OpenFlow 1.5 filters modifies by port and group as well;
 * 1.3 only deletes: an encoder for 1.3 leaves them at "any" for a modify.)
 *
 * <p><b>Canonical form.</b> Fields a command ignores are normalised so that equal changes are
 * equal records: an add has cookie mask 0 and no port or group filter; a modify or delete keeps
 * only the cookie bits under its mask, no timeouts, and no flags but a modify's
 * {@link Flag#RESET_COUNTS} (OVS keeps a modified rule's own timeouts and flags); a non-strict one
 * has the default priority; a delete has no instructions. The instructions are in execution
 * order, at most one of each kind (a decoder sorts them by {@link Instruction#order()}); an empty
 * list drops.
 *
 * @param command        what to do
 * @param tableId        0..{@value #MAX_TABLE_ID}, or {@link #ALL_TABLES} to select in every table
 * @param priority       0..{@value #MAX_PRIORITY} (the rule's for an add; the selection's for a strict command)
 * @param match          the rule's match, or the selection's
 * @param cookie         an add's new cookie, or the selection's cookie value
 * @param cookieMask     bits of the cookie a selection compares (0: any cookie)
 * @param outPort        selection: only rules that output to this port; {@link OfPorts#ANY} for any
 * @param outGroup       selection: only rules that send to this group; {@link #ANY_GROUP} for any
 * @param idleTimeoutSec 0 (none) .. {@value #MAX_TIMEOUT_SEC}: an added rule goes after this long unused
 * @param hardTimeoutSec 0 (none) .. {@value #MAX_TIMEOUT_SEC}: an added rule goes this long after it was added
 * @param flags          immutable
 * @param instructions   immutable, in execution order
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public record FlowMod(Command command, int tableId, int priority, Match match, long cookie, long cookieMask,
        int outPort, long outGroup, int idleTimeoutSec, int hardTimeoutSec, Set<Flag> flags,
        List<Instruction> instructions) implements OfMod {
    /** Highest table id; {@link #ALL_TABLES} is reserved. */
    public static final int MAX_TABLE_ID = 254;
    /** {@link #tableId()} that selects every table (OFPTT_ALL). */
    public static final int ALL_TABLES = 255;
    /** Priority of a rule added without one (OFP_DEFAULT_PRIORITY). */
    public static final int DEFAULT_PRIORITY = 32768;
    public static final int MAX_PRIORITY = 65535;
    /** Largest idle or hard timeout, in seconds. */
    public static final int MAX_TIMEOUT_SEC = 65535;
    /** {@link #outGroup()} that filters nothing (OFPG_ANY). */
    public static final long ANY_GROUP = 0xffffffffL;

    /** OpenFlow's flow mod commands. */
    public enum Command {
        ADD, MODIFY, MODIFY_STRICT, DELETE, DELETE_STRICT;

        /** True for the strict modify and delete: exact match and priority. */
        public boolean isStrict() {
            return this == MODIFY_STRICT || this == DELETE_STRICT;
        }

        public boolean isModify() {
            return this == MODIFY || this == MODIFY_STRICT;
        }

        public boolean isDelete() {
            return this == DELETE || this == DELETE_STRICT;
        }
    }

    /** OpenFlow's flow mod flags ({@code OFPFF_*}), with the names ovs-ofctl reads and prints. */
    public enum Flag {
        /** Report the rule's removal to the controller (flow-removed). */
        SEND_FLOW_REM("send_flow_rem", true),
        /** An add fails if a rule of the same priority overlaps. */
        CHECK_OVERLAP("check_overlap", false),
        /** A modify restarts the rule's packet and byte counters. */
        RESET_COUNTS("reset_counts", false),
        /** The switch need not count the rule's packets. */
        NO_PACKET_COUNTS("no_packet_counts", true),
        /** The switch need not count the rule's bytes. */
        NO_BYTE_COUNTS("no_byte_counts", true);

        /** {@code values()} once: {@link #find} runs for items of every flow line parsed. */
        private static final Flag[] ALL = values();
        private final String ovsName;
        private final boolean ruleState;

        Flag(String ovsName, boolean ruleState) {
            this.ovsName = ovsName;
            this.ruleState = ruleState;
        }

        public String ovsName() {
            return ovsName;
        }

        /** True for a flag a rule keeps and flow stats report (OVS's {@code OFPUTIL_FF_STATE}). */
        public boolean isRuleState() {
            return ruleState;
        }

        /** The flag ovs-ofctl calls {@code name}, or null. */
        public static Flag find(String name) {
            for (Flag f : ALL) {
                if (f.ovsName.equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    public FlowMod {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(flags, "flags");
        checkRange("table", tableId, 0, ALL_TABLES);
        if (command == Command.ADD && tableId == ALL_TABLES) {
            throw new IllegalArgumentException("an add needs one table (0.." + MAX_TABLE_ID + ")");
        }
        checkRange("priority", priority, 0, MAX_PRIORITY);
        checkRange("idle_timeout", idleTimeoutSec, 0, MAX_TIMEOUT_SEC);
        checkRange("hard_timeout", hardTimeoutSec, 0, MAX_TIMEOUT_SEC);
        if (!OfPorts.isPhysical(outPort) && !OfPorts.isReserved(outPort)) {
            throw new IllegalArgumentException("out_port " + outPort + " is no port");
        }
        if (outGroup != ANY_GROUP && (outGroup < 0 || outGroup > OfAction.GroupAction.MAX_ID)) {
            throw new IllegalArgumentException("out_group " + outGroup + " out of range 0.."
                    + OfAction.GroupAction.MAX_ID);
        }
        instructions = List.copyOf(instructions);
        for (int i = 1; i < instructions.size(); i++) {
            Instruction before = instructions.get(i - 1);
            Instruction next = instructions.get(i);
            if (next.order() <= before.order()) {
                throw new IllegalArgumentException(next.order() == before.order()
                        ? "instruction " + next.ovsName() + " given twice"
                        : "instruction " + next.ovsName() + " must come before " + before.ovsName());
            }
        }
        if (command == Command.ADD) {
            cookieMask = 0;
            outPort = OfPorts.ANY;
            outGroup = ANY_GROUP;
        } else {
            cookie &= cookieMask;
            idleTimeoutSec = 0;
            hardTimeoutSec = 0;
            flags = command.isModify() && flags.contains(Flag.RESET_COUNTS) ? Set.of(Flag.RESET_COUNTS) : Set.of();
            if (!command.isStrict()) {
                priority = DEFAULT_PRIORITY;
            }
            if (command.isDelete()) {
                instructions = List.of();
            }
        }
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    private static void checkRange(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " out of range " + min + ".." + max);
        }
    }

    /** A builder for {@code command} with OpenFlow's defaults: see {@link Builder}. */
    public static Builder builder(Command command) {
        return new Builder(command);
    }

    /** Deletes every rule of every table ({@code del-flows} without a selection). */
    public static FlowMod deleteAll() {
        return builder(Command.DELETE).build();
    }

    /** The actions of the {@link Instruction.ApplyActions} instruction, or the empty list. */
    public List<OfAction> applyActions() {
        for (Instruction i : instructions) {
            if (i instanceof Instruction.ApplyActions a) {
                return a.actions();
            }
        }
        return List.of();
    }

    /** The table of the {@link Instruction.GotoTable} instruction, or -1. */
    public int gotoTable() {
        Instruction last = instructions.isEmpty() ? null : instructions.get(instructions.size() - 1);
        return last instanceof Instruction.GotoTable g ? g.tableId() : -1;
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    /** A builder holding this flow mod's fields. */
    public Builder toBuilder() {
        return new Builder(command).tableId(tableId).priority(priority).match(match).cookie(cookie)
                .cookieMask(cookieMask).outPort(outPort).outGroup(outGroup).idleTimeoutSec(idleTimeoutSec)
                .hardTimeoutSec(hardTimeoutSec).flags(flags).instructions(instructions);
    }

    /**
     * Collects a flow mod. Defaults: table 0 for an add and {@link #ALL_TABLES} otherwise,
     * priority {@value #DEFAULT_PRIORITY}, any match, cookie and mask 0, no port or group filter,
     * no timeouts, no flags, no instructions (drop). Not thread-safe.
     */
    public static final class Builder {
        private final Command command;
        private int tableId;
        private int priority = DEFAULT_PRIORITY;
        private Match match = Match.ANY;
        private long cookie;
        private long cookieMask;
        private int outPort = OfPorts.ANY;
        private long outGroup = ANY_GROUP;
        private int idleTimeoutSec;
        private int hardTimeoutSec;
        private Set<Flag> flags = EnumSet.noneOf(Flag.class);
        private List<Instruction> instructions = new ArrayList<>();

        private Builder(Command command) {
            this.command = Objects.requireNonNull(command, "command");
            this.tableId = command == Command.ADD ? 0 : ALL_TABLES;
        }

        public Builder tableId(int t) {
            this.tableId = t;
            return this;
        }

        public Builder priority(int p) {
            this.priority = p;
            return this;
        }

        public Builder match(Match m) {
            this.match = Objects.requireNonNull(m, "match");
            return this;
        }

        public Builder cookie(long c) {
            this.cookie = c;
            return this;
        }

        public Builder cookieMask(long m) {
            this.cookieMask = m;
            return this;
        }

        public Builder outPort(int p) {
            this.outPort = p;
            return this;
        }

        public Builder outGroup(long g) {
            this.outGroup = g;
            return this;
        }

        public Builder idleTimeoutSec(int s) {
            this.idleTimeoutSec = s;
            return this;
        }

        public Builder hardTimeoutSec(int s) {
            this.hardTimeoutSec = s;
            return this;
        }

        public Builder flags(Set<Flag> f) {
            this.flags = f.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(f);
            return this;
        }

        public Builder flag(Flag f) {
            this.flags.add(f);
            return this;
        }

        public Builder instructions(List<Instruction> list) {
            this.instructions = new ArrayList<>(list);
            return this;
        }

        /** Appends an instruction (keep execution order). */
        public Builder instruction(Instruction i) {
            this.instructions.add(i);
            return this;
        }

        /** Apply-actions {@code actions} (none for the empty list: drop). */
        public Builder actions(List<OfAction> actions) {
            this.instructions.removeIf(i -> i instanceof Instruction.ApplyActions);
            if (!actions.isEmpty()) {
                this.instructions.add(0, new Instruction.ApplyActions(actions));
            }
            return this;
        }

        /** Apply-actions {@code actions}. */
        public Builder actions(OfAction... actions) {
            return actions(List.of(actions));
        }

        /**
         * @throws IllegalArgumentException with a one-line message naming the field out of range
         *                                  or the instruction out of order
         */
        public FlowMod build() {
            return new FlowMod(command, tableId, priority, match, cookie, cookieMask, outPort, outGroup,
                    idleTimeoutSec, hardTimeoutSec, flags, instructions);
        }
    }
}
