package dev.jvswitch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bridge ({@code bridges.NAME}): its ports, flows, groups and meters, and its settings.
 *
 * @param name        bridge name
 * @param ports       ports by name, in file order
 * @param flows       flows in ovs-ofctl syntax, inline and from {@code @file}s in order; a bridge
 *                    without a {@code flows} key gets OVS's default {@value #DEFAULT_FLOW}
 * @param groups      groups in ovs-ofctl syntax
 * @param settings    its settings, defaults filled in ({@link SwitchConfig#bridgeDefaults})
 * @param line        line of the bridge's name
 * @param endpoint    its tunnel endpoint ({@code local-ip}), or null
 * @param openflow    its OpenFlow channel ({@link OpenFlowSettings#NONE} when it has none)
 * @param mirrors     its port mirrors
 * @param meters      meters in ovs-ofctl add-meter syntax; empty when the bridge has none or no
 *                    {@code meters} key (then meters come from OpenFlow alone)
 * @param tlvMapLine  line of its {@code tlv-map} key (the bridge's line without one), for a reload's
 *                    refusal
 */
public record BridgeSpec(String name, Map<String, PortSpec> ports, List<FlowLine> flows, List<FlowLine> groups,
        BridgeSettings settings, int line, EndpointSpec endpoint, OpenFlowSettings openflow,
        List<BridgeMirror> mirrors, List<FlowLine> meters, int tlvMapLine) {
    /** What OVS puts in a new bridge's table 0, and what a bridge without {@code flows} gets. */
    public static final String DEFAULT_FLOW = "priority=0,actions=NORMAL";

    public BridgeSpec {
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        flows = List.copyOf(flows);
        groups = List.copyOf(groups);
        java.util.Objects.requireNonNull(openflow, "openflow");
        mirrors = List.copyOf(mirrors);
        meters = List.copyOf(meters);
    }

    /** Its {@code tlv-map} key, if any, on the bridge's line. */
    public BridgeSpec(String name, Map<String, PortSpec> ports, List<FlowLine> flows, List<FlowLine> groups,
            BridgeSettings settings, int line, EndpointSpec endpoint, OpenFlowSettings openflow,
            List<BridgeMirror> mirrors, List<FlowLine> meters) {
        this(name, ports, flows, groups, settings, line, endpoint, openflow, mirrors, meters, line);
    }

    /** A bridge without meters, its {@code tlv-map} key (if any) on the bridge's line. */
    public BridgeSpec(String name, Map<String, PortSpec> ports, List<FlowLine> flows, List<FlowLine> groups,
            BridgeSettings settings, int line, EndpointSpec endpoint, OpenFlowSettings openflow,
            List<BridgeMirror> mirrors) {
        this(name, ports, flows, groups, settings, line, endpoint, openflow, mirrors, List.of());
    }

    /** A bridge without mirrors. */
    public BridgeSpec(String name, Map<String, PortSpec> ports, List<FlowLine> flows, List<FlowLine> groups,
            BridgeSettings settings, int line, EndpointSpec endpoint, OpenFlowSettings openflow) {
        this(name, ports, flows, groups, settings, line, endpoint, openflow, List.of());
    }

    /** A bridge without a tunnel endpoint or an OpenFlow channel. */
    public BridgeSpec(String name, Map<String, PortSpec> ports, List<FlowLine> flows, List<FlowLine> groups,
            BridgeSettings settings, int line) {
        this(name, ports, flows, groups, settings, line, null, OpenFlowSettings.NONE);
    }

    /** The flow strings alone (what a reload compares). */
    public List<String> flowTexts() {
        return texts(flows);
    }

    /** The group strings alone. */
    public List<String> groupTexts() {
        return texts(groups);
    }

    /** True if {@code other} has the same flow strings in the same order (what a reload compares), copying none. */
    public boolean sameFlowTexts(BridgeSpec other) {
        return FlowLine.sameTexts(flows, other.flows);
    }

    /** The meter strings alone. */
    public List<String> meterTexts() {
        return texts(meters);
    }

    /** True if {@code other} has the same meter strings in the same order, copying none. */
    public boolean sameMeterTexts(BridgeSpec other) {
        return FlowLine.sameTexts(meters, other.meters);
    }

    /** True if {@code other} has the same group strings in the same order, copying none. */
    public boolean sameGroupTexts(BridgeSpec other) {
        return FlowLine.sameTexts(groups, other.groups);
    }

    private static List<String> texts(List<FlowLine> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (FlowLine l : lines) {
            out.add(l.text());
        }
        return out;
    }
}
