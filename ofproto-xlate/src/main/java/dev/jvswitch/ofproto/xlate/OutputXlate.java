package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.meter.MeterEntry;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.port.OfPorts;
import dev.jvswitch.ofproto.tnl.TunnelOutput;
import dev.jvswitch.ofproto.xlate.XlateSnapshot.PortRef;

/**
 * Output actions (OVS's {@code xlate_output_action} and {@code compose_output_action}): an
 * OpenFlow port becomes its datapath port, a patch port continues translation in the peer
 * bridge, a tunnel port and an endpoint bridge's LOCAL port go to the {@link TunnelOutput} hook
 * (LOCAL of a bridge without an endpoint drops); the reserved ports IN_PORT, LOCAL,
 * FLOOD and ALL expand to ports, CONTROLLER keeps the flow in the slow path (each packet goes
 * to the channel).
 */
final class OutputXlate {
    private OutputXlate() {
    }

    /** {@code output:N} for a port number or reserved port (not NORMAL/FLOOD/ALL/CONTROLLER). */
    static void output(XlateContext c, int ofPort) {
        if (ofPort == OfPorts.IN_PORT) {
            composeOutput(c, c.inPort());
        } else if (ofPort == OfPorts.NONE) {
            return;
        } else if (ofPort == c.inPort()) {
            // OpenFlow: only output:IN_PORT sends a packet back where it came from.
            c.report(TraceNode.Kind.WARN, "skipping output to input port");
        } else {
            composeOutput(c, ofPort);
        }
    }

    private static void composeOutput(XlateContext c, int ofPort) {
        OfPort p = c.bridge.config().byOfPort(ofPort);
        if (p == null) {
            c.report(TraceNode.Kind.WARN, "Nonexistent output port");
            return;
        }
        outputToPort(c, p);
    }

    /** Sends the packet out of {@code p}, whatever kind of port it is. */
    static void outputToPort(XlateContext c, OfPort p) {
        if (c.bridge.ports().dropsOutput(p.ofPort())) {
            c.report(TraceNode.Kind.DETAIL, "port " + p.name() + " is down or no-forward: not sending");
            return;
        }
        if (p.isPatch()) {
            patch(c, p);
            return;
        }
        if (c.tunnels.onOutput(c, p)) {
            return;
        }
        if (p.isLocal()) {
            c.report(TraceNode.Kind.DETAIL, "LOCAL of " + c.bridge.name() + " has no local-ip: dropping");
            return;
        }
        c.commit();
        c.out.output(p.dpPort());
        if (!c.bridge.config().mirrors().isEmpty()) {
            MirrorXlate.egress(c, p);
        }
    }

    /**
     * {@code flood} and {@code all}: every port of the bridge but the input port, by number;
     * {@code flood} leaves out the no-flood ports.
     */
    static void flood(XlateContext c, boolean all) {
        int in = c.inPort();
        List<OfPort> ports = c.bridge.config().ports();
        for (int i = 0; i < ports.size() && c.error == null; i++) {
            OfPort p = ports.get(i);
            if (p.ofPort() != in && (all || !c.bridge.ports().noFlood(p.ofPort()))) {
                outputToPort(c, p);
            }
        }
    }

    /**
     * {@code controller}: the flow stays in the slow path (never installed), so each packet
     * reaches the upcall handler, which hands it to the OpenFlow channel with what this records.
     */
    static void controller(XlateContext c, OfAction.Controller ctl) {
        c.slowPath();
        ControllerOutput.Pin pin = null;
        if (!ctl.plain()) {
            // OVS's packet-in metadata: the flow as it is here (registers, metadata, tunnel, ct).
            pin = new ControllerOutput.Pin(ctl.reason(), ctl.controllerId(), ctl.userdata(), c.flow.copy(),
                    ctl.pause(), null);
        }
        c.controllerOutput(ctl.maxLen(), false, pin, packetInMeter(c, ctl.meterId()));
        c.report(TraceNode.Kind.DETAIL, "to the controller (max_len " + ctl.maxLen() + ")");
        if (ctl.pause()) {
            // OVS's continuation: the rest runs when the controller sends the packet back.
            c.report(TraceNode.Kind.DETAIL, "pausing: the controller resumes the rest");
            Freezing.pause(c);
        }
    }

    /** {@code output:FIELD[..]}: to the port the field's bits hold (OVS's {@code xlate_output_reg_action}). */
    static void outputReg(XlateContext c, OfAction.OutputReg o) {
        int port = (int) FieldWrite.read(c, o.src(), 0, o.src().nBits());
        if (port == OfPorts.CONTROLLER) {
            controller(c, new OfAction.Controller(o.maxLen()));
        } else if (port == OfPorts.IN_PORT || port == OfPorts.LOCAL || OfPorts.isPhysical(port)) {
            output(c, port);
        } else {
            ActionXlate.run(c, reservedAction(port, o));
        }
    }

    private static OfAction reservedAction(int port, OfAction.OutputReg o) {
        return switch (port) {
            case OfPorts.NORMAL -> new OfAction.Normal();
            case OfPorts.FLOOD -> new OfAction.Flood();
            case OfPorts.ALL -> new OfAction.All();
            // OVS: an output to a port that does not exist (0, NONE, ...) does nothing.
            default -> new OfAction.Note(new byte[0]);
        };
    }

    /**
     * The datapath meter a packet-in passes (OVS's {@code execute_controller_action}): the
     * action's {@code meter_id} if it names one, else the bridge's controller meter
     * ({@code OFPM_CONTROLLER}); a meter that does not exist means none.
     */
    private static int packetInMeter(XlateContext c, long meterId) {
        MeterEntry m = c.bridge.tables().meter(meterId == OfAction.Controller.NO_METER ? Meter.CONTROLLER : meterId);
        return m == null ? ControllerOutput.NO_METER : m.dpId();
    }

    /**
     * {@code dec_ttl} on TTL 0 or 1, as OVS's {@code compose_dec_ttl}: a whole-packet packet-in
     * with reason INVALID_TTL to each controller id the action lists ({@code dec_ttl}: id 0;
     * {@code dec_ttl()} with none: no packet-in), metered by the controller meter; the flow stays
     * in the slow path.
     */
    static void invalidTtl(XlateContext c, List<Integer> controllerIds) {
        c.slowPath();
        List<Integer> ids = controllerIds == null ? List.of(0) : controllerIds;
        for (int i = 0; i < ids.size(); i++) {
            ControllerOutput.Pin pin = new ControllerOutput.Pin(ControllerOutput.REASON_INVALID_TTL, ids.get(i),
                    new byte[0], c.flow.copy(), false, null);
            c.controllerOutput(65535, true, pin, packetInMeter(c, OfAction.Controller.NO_METER));
            c.report(TraceNode.Kind.DETAIL, (ids.get(i) == 0 ? "to the controller" : "to controller " + ids.get(i))
                    + " (reason invalid_ttl)");
        }
    }

    /**
     * A patch port (OVS's {@code patch_port_output}): translation continues in the peer bridge
     * from table 0 with in_port the peer port. The peer works on a copy of the flow: when it is
     * done the flow is what it was (the datapath packet keeps what the peer committed, and the
     * next commit here undoes it where needed), errors and freezes end at the boundary.
     */
    private static void patch(XlateContext c, OfPort p) {
        PortRef peer = c.snapshot.patchPeer(p);
        if (peer == null) {
            c.report(TraceNode.Kind.WARN, "patch port " + p.name() + " has no peer, dropping");
            return;
        }
        c.saveFlow();
        XlateBridge oldBridge = c.bridge;
        List<TraceNode> oldTrace = c.trace;
        c.bridge = peer.bridge();
        c.inPort(peer.port().ofPort());
        if (c.tracing()) {
            c.trace = c.report(TraceNode.Kind.BRIDGE, "bridge(\"" + peer.bridge().name() + "\")").subs();
        }
        c.lookupTable(0, XlateContext.KEEP_IN_PORT, true, true);
        if (c.freezing) {
            c.finishFreezing();
        }
        c.trace = oldTrace;
        c.bridge = oldBridge;
        c.restoreFlow();
        // As in OVS, the peer bridge failing does not fail the bridge that sent to it.
        c.error = null;
    }
}
