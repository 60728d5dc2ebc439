package dev.jvswitch.ofproto.xlate;

/**
 * Why a translation failed; the flow is then installed with a drop action (as OVS does, so that
 * a failing flow costs one upcall, not one per packet). The texts are OVS's
 * ({@code xlate_strerror}), as {@code ofproto/trace} prints them.
 */
public enum XlateError {
    BRIDGE_NOT_FOUND("Bridge not found"),
    RECURSION_TOO_DEEP("Recursion too deep"),
    TOO_MANY_RESUBMITS("Too many resubmits"),
    TOO_MANY_ACTIONS("Too many datapath actions"),
    NO_RECIRCULATION_CONTEXT("No recirculation context");

    private final String text;

    XlateError(String text) {
        this.text = text;
    }

    /** OVS's wording, e.g. {@code Recursion too deep}. */
    public String text() {
        return text;
    }
}
