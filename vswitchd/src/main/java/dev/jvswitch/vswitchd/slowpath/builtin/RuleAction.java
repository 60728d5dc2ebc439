package dev.jvswitch.vswitchd.slowpath.builtin;

/**
 * One action of a built-in rule. Immutable.
 *
 * @param kind what it does
 * @param port the OpenFlow port of {@link Kind#OUTPUT}, else 0
 */
record RuleAction(Kind kind, int port) {
    enum Kind { OUTPUT, NORMAL, FLOOD, ALL, IN_PORT, DROP }

    static final RuleAction NORMAL = new RuleAction(Kind.NORMAL, 0);
    static final RuleAction FLOOD = new RuleAction(Kind.FLOOD, 0);
    static final RuleAction ALL = new RuleAction(Kind.ALL, 0);
    static final RuleAction IN_PORT = new RuleAction(Kind.IN_PORT, 0);
    static final RuleAction DROP = new RuleAction(Kind.DROP, 0);

    static RuleAction output(int port) {
        return new RuleAction(Kind.OUTPUT, port);
    }

    /** As ovs-ofctl prints it. */
    @Override
    public String toString() {
        return switch (kind) {
            case OUTPUT -> "output:" + port;
            case DROP -> "drop";
            default -> kind.name();
        };
    }
}
