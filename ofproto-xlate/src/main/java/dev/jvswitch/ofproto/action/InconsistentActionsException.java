package dev.jvswitch.ofproto.action;

/**
 * Actions that their packet or match makes meaningless ({@link ActionCheck}): what OpenFlow answers
 * with {@code OFPBAC_MATCH_INCONSISTENT}. The message is one line naming the action and what it
 * needs.
 */
public final class InconsistentActionsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InconsistentActionsException(String message) {
        super(message);
    }
}
