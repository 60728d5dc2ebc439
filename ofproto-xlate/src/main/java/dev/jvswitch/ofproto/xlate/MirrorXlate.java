package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.ofproto.bridge.Mirror;
import dev.jvswitch.ofproto.bridge.OfPort;

/**
 * Port mirrors in translation (OVS's {@code mirror_ingress_packet} and {@code mirror_packet}): a
 * packet received on a mirror's source port is output to the mirror's port first, as it arrived;
 * one sent to a destination port is output there too, right after, as sent. Each mirror copies a
 * packet once ({@code XlateContext.mirrorsDone}), never to the port it came in on. The copies are
 * plain datapath outputs in the megaflow's actions, which depend only on the input port and on the
 * outputs translation chose, so the megaflow needs nothing more in its mask.
 */
final class MirrorXlate {
    private MirrorXlate() {
    }

    /** Before the tables run: the mirrors whose source is the input port. */
    static void ingress(XlateContext c) {
        List<Mirror> mirrors = c.bridge.config().mirrors();
        for (int i = 0; i < mirrors.size(); i++) {
            if (mirrors.get(i).selectsSrc(c.inPort())) {
                copy(c, i, mirrors.get(i));
            }
        }
    }

    /** After output to {@code p}: the mirrors whose destination it is. */
    static void egress(XlateContext c, OfPort p) {
        List<Mirror> mirrors = c.bridge.config().mirrors();
        for (int i = 0; i < mirrors.size(); i++) {
            Mirror m = mirrors.get(i);
            if (m.outPort() != p.ofPort() && m.selectsDst(p.ofPort())) {
                copy(c, i, m);
            }
        }
    }

    private static void copy(XlateContext c, int index, Mirror m) {
        if ((c.mirrorsDone & (1 << index)) != 0) {
            return;
        }
        c.mirrorsDone |= 1 << index;
        OfPort out = c.bridge.config().byOfPort(m.outPort());
        if (out == null || !out.hasDpPort() || out.ofPort() == c.inPort()) {
            return;
        }
        if (c.tracing()) {
            c.report(TraceNode.Kind.DETAIL, "mirror " + m.name() + ": copy to port " + out.name());
        }
        c.commit();
        c.out.output(out.dpPort());
    }
}
