package dev.jvswitch.ofproto.syntax;

import dev.jvswitch.ofproto.action.OfAction;

/**
 * {@code fin_timeout(idle_timeout=N,hard_timeout=N)} in ovs-ofctl syntax, both ways (OVS's
 * {@code parse_FIN_TIMEOUT} and {@code format_FIN_TIMEOUT}): both keys are optional, a timeout of
 * 0 is not printed, so {@code fin_timeout()} is the action that lowers nothing.
 */
final class FinTimeoutSyntax {
    private static final int MAX = 65535;

    private FinTimeoutSyntax() {
    }

    static OfAction.FinTimeout parse(ActionSyntax syntax, Source src, ActionSyntax.Parts p) {
        String arg = p.arg() == null ? "" : p.arg();
        int idle = 0;
        int hard = 0;
        for (Source.Item item : src.split(p.argStart(), p.argStart() + arg.length())) {
            String t = item.text();
            int eq = t.indexOf('=');
            String key = eq < 0 ? t : t.substring(0, eq);
            if (!key.equals("idle_timeout") && !key.equals("hard_timeout")) {
                throw src.fail(SyntaxError.BAD_VALUE, item.start(), t, "fin_timeout",
                        "idle_timeout=N or hard_timeout=N");
            }
            if (eq < 0 || eq == t.length() - 1) {
                throw src.fail(SyntaxError.MISSING_VALUE, item.start(), "fin_timeout " + key);
            }
            String value = t.substring(eq + 1);
            int valueAt = item.start() + eq + 1;
            long n = syntax.parseNumber(value, valueAt, "fin_timeout " + key, 64);
            if (n < 0 || n > MAX) {
                throw src.fail(SyntaxError.OUT_OF_RANGE, valueAt, value, "fin_timeout " + key, "0.." + MAX);
            }
            if (key.equals("idle_timeout")) {
                idle = (int) n;
            } else {
                hard = (int) n;
            }
        }
        return new OfAction.FinTimeout(idle, hard);
    }

    static void append(StringBuilder sb, OfAction.FinTimeout f) {
        sb.append("fin_timeout(");
        if (f.idleTimeout() != 0) {
            sb.append("idle_timeout=").append(f.idleTimeout());
        }
        if (f.hardTimeout() != 0) {
            sb.append(f.idleTimeout() != 0 ? "," : "").append("hard_timeout=").append(f.hardTimeout());
        }
        sb.append(')');
    }
}
