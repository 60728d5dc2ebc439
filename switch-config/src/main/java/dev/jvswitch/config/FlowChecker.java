package dev.jvswitch.config;

/**
 * What config validation asks of the OpenFlow side before anything starts: whether a flow or
 * group string parses, and whether VLAN port modes are supported. switch-config cannot import
 * ofproto's syntax, so the daemon passes {@code dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker}
 * in ({@link ConfigEnvironment#checker}).
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
