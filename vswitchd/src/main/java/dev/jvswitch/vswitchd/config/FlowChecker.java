package dev.jvswitch.vswitchd.config;

/**
 * What config validation asks of the slow path before anything starts: whether a flow or group
 * string parses, and whether VLAN port modes are supported. The slow path in use implements it
 * ({@code dev.jvswitch.vswitchd.slowpath.SlowPath} extends this).
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
