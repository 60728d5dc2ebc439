package dev.jvswitch.ofproto.mod;

import java.util.List;

import dev.jvswitch.ofproto.action.OfAction;

/**
 * One OpenFlow instruction of a flow (OpenFlow 1.1+; OVS's instruction {@code ofpact}s). A
 * flow's instructions run in a fixed order, which is also the order a {@link FlowMod} keeps them
 * in: {@link ApplyActions}, {@link ClearActions}, {@link WriteActions}, {@link WriteMetadata},
 * {@link GotoTable}, at most one of each ({@link #order()}). No instructions means drop.
 *
 * <p>ovs-ofctl writes them inside {@code actions=}: the apply-actions list, then
 * {@code clear_actions}, {@code write_actions(...)}, {@code write_metadata:V/M},
 * {@code goto_table:N} ({@code dev.jvswitch.ofproto.syntax.FlowSyntax}).
 *
 * <p><b>Thread-safety:</b> every record is immutable.
 */
public sealed interface Instruction {
    /** Position in the execution order (0 first); also the order a flow mod lists them in. */
    int order();

    /** The name OVS gives the instruction, for messages: {@code apply_actions}, {@code goto_table}, ... */
    String ovsName();

    /** Run {@code actions} now, in order. */
    record ApplyActions(List<OfAction> actions) implements Instruction {
        public ApplyActions {
            actions = checkActions(actions, "apply_actions");
        }

        @Override
        public int order() {
            return 0;
        }

        @Override
        public String ovsName() {
            return "apply_actions";
        }
    }

    /** Empty the packet's action set. */
    record ClearActions() implements Instruction {
        @Override
        public int order() {
            return 1;
        }

        @Override
        public String ovsName() {
            return "clear_actions";
        }
    }

    /** Merge {@code actions} into the packet's action set, run when the pipeline ends. */
    record WriteActions(List<OfAction> actions) implements Instruction {
        public WriteActions {
            actions = checkActions(actions, "write_actions");
        }

        @Override
        public int order() {
            return 2;
        }

        @Override
        public String ovsName() {
            return "write_actions";
        }
    }

    /** Set the bits of {@code mask} of the pipeline's metadata register to those of {@code metadata}. */
    record WriteMetadata(long metadata, long mask) implements Instruction {
        public WriteMetadata {
            metadata &= mask;
        }

        @Override
        public int order() {
            return 3;
        }

        @Override
        public String ovsName() {
            return "write_metadata";
        }
    }

    /** Continue in table {@code tableId}, which must come after the current one. */
    record GotoTable(int tableId) implements Instruction {
        public GotoTable {
            if (tableId < 0 || tableId > FlowMod.MAX_TABLE_ID) {
                throw new IllegalArgumentException("goto_table " + tableId + " out of range 0.." + FlowMod.MAX_TABLE_ID);
            }
        }

        @Override
        public int order() {
            return 4;
        }

        @Override
        public String ovsName() {
            return "goto_table";
        }
    }

    private static List<OfAction> checkActions(List<OfAction> actions, String where) {
        List<OfAction> copy = List.copyOf(actions);
        for (OfAction a : copy) {
            if (a instanceof OfAction.GotoTable) {
                throw new IllegalArgumentException("goto_table is an instruction, not an action of " + where);
            }
        }
        return copy;
    }
}
