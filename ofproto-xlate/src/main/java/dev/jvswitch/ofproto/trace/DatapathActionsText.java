package dev.jvswitch.ofproto.trace;

import java.util.List;

import dev.jvswitch.flowcache.actions.DpActions;
import dev.jvswitch.flowcache.actions.DpActionsBuilder;
import dev.jvswitch.ofproto.xlate.ControllerOutput;

/**
 * A trace's {@code Datapath actions:} line. The program prints as {@code dpctl/dump-flows} does;
 * where the translation sent to the controller, OVS shows the {@code userspace(...)} action that
 * keeps such a flow in the slow path, and so does this, at the same place in the program:
 * {@code set(eth(src=...)),userspace(pid=0,controller(reason=1,...)),2}. jvswitch hands the
 * packet-in over in the upcall itself instead of through a datapath action, and makes no
 * continuation, so its {@code recirc_id} there is 0 where OVS's names a frozen state.
 */
final class DatapathActionsText {
    /** OVS's OFPR_EXPLICIT_MISS: a controller action of a table-miss rule. */
    private static final int REASON_EXPLICIT_MISS = 6;

    private DatapathActionsText() {
    }

    static String of(DpActions program, List<ControllerOutput> controllers) {
        if (controllers.isEmpty()) {
            return program.toString();
        }
        StringBuilder sb = new StringBuilder();
        int n = program.isDrop() ? 0 : program.length();
        int from = 0;
        for (ControllerOutput c : controllers) {
            int at = c.editsBefore() < 0 ? n : Math.min(n, c.editsBefore());
            from = appendSlice(sb, program, from, at);
            separate(sb);
            // A metered packet-in: OVS 3.1 runs the meter and the userspace action in a 100% sample.
            boolean metered = c.meterDpId() != ControllerOutput.NO_METER;
            if (metered) {
                sb.append("sample(sample=100.0%,actions(meter(").append(c.meterDpId()).append("),");
            }
            sb.append("userspace(pid=0,controller(reason=").append(reason(c))
                    .append(",dont_send=1,continuation=0,recirc_id=0,rule_cookie=")
                    .append(c.cookie() == 0 ? "0" : "0x" + Long.toHexString(c.cookie()))
                    .append(",controller_id=").append(c.controllerId()).append(",max_len=").append(c.maxLen())
                    .append("))").append(metered ? "))" : "");
        }
        appendSlice(sb, program, from, n);
        return sb.toString();
    }

    private static int reason(ControllerOutput c) {
        if (c.invalidTtl()) {
            return ControllerOutput.REASON_INVALID_TTL;
        }
        return c.tableMiss() ? REASON_EXPLICIT_MISS : ControllerOutput.REASON_ACTION;
    }

    /** Appends actions {@code [from, to)}; returns {@code to}. */
    private static int appendSlice(StringBuilder sb, DpActions program, int from, int to) {
        if (from >= to) {
            return Math.max(from, to);
        }
        DpActionsBuilder b = DpActions.builder();
        for (int i = from; i < to; i++) {
            b.append(program, i);
        }
        separate(sb).append(b.build());
        return to;
    }

    private static StringBuilder separate(StringBuilder sb) {
        return sb.length() == 0 ? sb : sb.append(',');
    }
}
