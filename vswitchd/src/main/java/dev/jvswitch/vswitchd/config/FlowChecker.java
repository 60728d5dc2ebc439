package dev.jvswitch.vswitchd.config;

/**
 * What config validation asks of ofproto before anything starts: whether a flow or group string
 * parses (and can be applied), and whether VLAN port modes are supported. The daemon passes
 * {@code dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker}.
 *
 * <p><b>Thread-safety:</b> implementations are stateless or immutable for these calls.
 */
public interface FlowChecker {
    /** Null if {@code flow} (ovs-ofctl add-flow syntax) parses, else a one-line message. */
    String checkFlow(String flow);

    /** Null if {@code group} (ovs-ofctl add-group syntax) parses, else a one-line message. */
    String checkGroup(String group);

    /** Null if ports may have {@code tag}/{@code trunks}, else the message to report on them. */
    String checkVlans();
}
