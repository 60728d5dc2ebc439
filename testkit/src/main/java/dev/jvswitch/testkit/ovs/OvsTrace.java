package dev.jvswitch.testkit.ovs;

/**
 * The result of an {@code ofproto/trace} in OVS's text layout, from OVS or from jvswitch: the
 * whole output and its two closing lines that a comparison looks at. A trace that recirculates
 * prints such lines for every pass; these are the first pass's.
 *
 * @param text            the whole output
 * @param megaflow        what follows {@code Megaflow: }, or null if the output has no such line
 * @param datapathActions what follows {@code Datapath actions: }, or null
 */
public record OvsTrace(String text, String megaflow, String datapathActions) {
    /**
     * {@code actions} with what names OVS's internal state left out, for comparing: the
     * {@code recirc_id} inside a {@code userspace(...controller(...))} action, which names the
     * frozen state of a continuation (an id OVS allocates; jvswitch makes no continuation), and
     * the id of a {@code recirc(...)}: both sides allocate ids in their own order.
     */
    public static String comparable(String actions) {
        return actions == null ? null : actions.replaceAll("(controller\\([^)]*?recirc_id=)(0x)?[0-9a-f]+", "$1*")
                .replaceAll("recirc\\((0x)?[0-9a-f]+\\)", "recirc(*)");
    }

    /** Finds the {@code Megaflow:} and {@code Datapath actions:} lines of a trace output. */
    public static OvsTrace parse(String text) {
        String megaflow = null;
        String actions = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("Megaflow: ") && megaflow == null) {
                megaflow = line.substring("Megaflow: ".length()).trim();
            } else if (line.startsWith("Datapath actions: ") && actions == null) {
                actions = line.substring("Datapath actions: ".length()).trim();
            }
        }
        return new OvsTrace(text, megaflow, actions);
    }
}
