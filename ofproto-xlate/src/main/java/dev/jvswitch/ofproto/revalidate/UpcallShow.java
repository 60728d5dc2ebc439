package dev.jvswitch.ofproto.revalidate;

/**
 * The text of {@code upcall/show}, laid out as OVS prints it (the datapath is named
 * {@code system@ovs-system} as in OVS, so scripts that read OVS's output read ours), followed by
 * the revalidators' deletion counters, which OVS keeps in {@code coverage/show} instead:
 *
 * <pre>
 * system@ovs-system:
 *   flows         : (current 12) (avg 11) (max 40) (limit 200000)
 *   dump duration : 1ms
 *   ufid enabled : true
 *
 *   0: (keys 7)
 *   1: (keys 5)
 *
 *   flows deleted : (idle 30) (limit 0) (revalidation 2)
 *   flows modified : 4
 * </pre>
 */
public final class UpcallShow {
    /** The name OVS gives its userspace datapath, first line of the output. */
    public static final String DATAPATH_NAME = "system@ovs-system";

    private UpcallShow() {
    }

    public static String format(RevalidatorSnapshot s) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(DATAPATH_NAME).append(":\n");
        sb.append("  flows         : (current ").append(s.flows()).append(") (avg ").append(s.flowsAvg())
                .append(") (max ").append(s.flowsMax()).append(") (limit ").append(s.flowLimit()).append(")\n");
        sb.append("  dump duration : ").append(s.dumpDurationMs()).append("ms\n");
        sb.append("  ufid enabled : true\n");
        sb.append('\n');
        int[] keys = s.keysPerRevalidator();
        for (int i = 0; i < keys.length; i++) {
            sb.append("  ").append(i).append(": (keys ").append(keys[i]).append(")\n");
        }
        sb.append('\n');
        sb.append("  flows deleted : (idle ").append(s.deletedIdle()).append(") (limit ").append(s.deletedLimit())
                .append(") (revalidation ").append(s.deletedRevalidation()).append(")\n");
        sb.append("  flows modified : ").append(s.modified()).append('\n');
        return sb.toString();
    }
}
