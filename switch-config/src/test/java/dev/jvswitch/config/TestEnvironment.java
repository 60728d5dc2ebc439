package dev.jvswitch.config;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A fixed environment for loader tests, so messages do not depend on the machine: CPUs 0-1, the
 * four port types, a flow checker that accepts everything (flow syntax is ofproto's; the daemon's
 * tests check it), and ofproto's defaults as the daemon passes them.
 */
public final class TestEnvironment {
    /** Accepts every flow, group, VLAN and prefix setting. */
    public static final FlowChecker ACCEPT_ALL = checkingFlows(flow -> null);

    /** max-idle 10 s, 2048 MAC entries aged 300 s: ofproto's values, which the daemon's test checks. */
    public static final OfprotoDefaults OFPROTO = new OfprotoDefaults(10_000, new BridgeSettings(2048, 300));

    private TestEnvironment() {
    }

    /**
     * A checker that judges flows with {@code checkFlow} (an error message, or null for a good
     * flow) and accepts every group, VLAN and prefix setting.
     */
    public static FlowChecker checkingFlows(UnaryOperator<String> checkFlow) {
        return new FlowChecker() {
            @Override
            public String checkFlow(String flow) {
                return checkFlow.apply(flow);
            }

            @Override
            public String checkGroup(String group) {
                return null;
            }

            @Override
            public String checkVlans() {
                return null;
            }

            @Override
            public String checkPrefixes(List<String> fields) {
                return null;
            }
        };
    }

    /** CPUs 0-1; port types afpacket, null, pcap and ring. */
    public static ConfigEnvironment fixed() {
        return with(ACCEPT_ALL);
    }

    /** As {@link #fixed()}, with {@code checker} for flows. */
    public static ConfigEnvironment with(FlowChecker checker) {
        BitSet cpus = new BitSet();
        cpus.set(0, 2);
        return new ConfigEnvironment(cpus, Set.of("afpacket", "null", "pcap", "ring"), checker, OFPROTO);
    }
}
