package dev.jvswitch.ofproto.syntax;

import java.util.List;

import dev.jvswitch.flowcache.key.Addresses;
import dev.jvswitch.flowcache.key.FieldFormat;
import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.mod.Instruction;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * Writes action lists as {@code ovs-ofctl dump-flows} does: {@code output:2}, {@code NORMAL},
 * {@code CONTROLLER:65535}, {@code resubmit(,1)}, {@code set_field:10.0.0.1->nw_dst}, and
 * {@code drop} for the empty list. {@link ActionSyntax} reads every form written here back to the
 * same actions.
 */
final class ActionFormat {
    private ActionFormat() {
    }

    /** Appends the list as dump-flows writes it; the empty list is {@code drop}. */
    static StringBuilder append(StringBuilder sb, List<OfAction> actions) {
        return append(sb, actions, 0);
    }

    /**
     * Appends the list as dump-flows writes it; {@code proto} (the {@code nw_proto} the flow
     * matches, or 0) names TCP, UDP or SCTP port fields in subfields ({@code NXM_OF_UDP_SRC[]}).
     */
    static StringBuilder append(StringBuilder sb, List<OfAction> actions, int proto) {
        if (actions.isEmpty()) {
            return sb.append("drop");
        }
        for (int i = 0; i < actions.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendOne(sb, actions.get(i), proto);
        }
        return sb;
    }

    /**
     * Appends a flow's instructions as ovs-ofctl writes them after {@code actions=}: the
     * apply-actions, then {@code clear_actions}, {@code write_actions(...)},
     * {@code write_metadata:0xV[/0xM]}, {@code goto_table:N}; {@code drop} for none.
     */
    static StringBuilder appendInstructions(StringBuilder sb, List<Instruction> instructions) {
        return appendInstructions(sb, instructions, 0);
    }

    /** {@link #appendInstructions(StringBuilder, List)} naming port subfields by {@code proto}. */
    static StringBuilder appendInstructions(StringBuilder sb, List<Instruction> instructions, int proto) {
        int start = sb.length();
        for (Instruction in : instructions) {
            int before = sb.length();
            if (before > start) {
                sb.append(',');
            }
            if (in instanceof Instruction.ApplyActions a) {
                if (a.actions().isEmpty()) {
                    sb.setLength(before);
                    continue;
                }
                append(sb, a.actions(), proto);
            } else if (in instanceof Instruction.ClearActions) {
                sb.append("clear_actions");
            } else if (in instanceof Instruction.WriteActions w) {
                append(sb.append("write_actions("), w.actions(), proto).append(')');
            } else if (in instanceof Instruction.WriteMetadata m) {
                sb.append("write_metadata:0x").append(Long.toHexString(m.metadata()));
                if (m.mask() != -1L) {
                    sb.append("/0x").append(Long.toHexString(m.mask()));
                }
            } else if (in instanceof Instruction.GotoTable g) {
                sb.append("goto_table:").append(g.tableId());
            } else {
                throw new AssertionError(in);
            }
        }
        if (sb.length() == start) {
            sb.append("drop");
        }
        return sb;
    }

    private static void appendOne(StringBuilder sb, OfAction a, int proto) {
        if (a instanceof OfAction.Output o) {
            sb.append("output:").append(o.port());
        } else if (a instanceof OfAction.Normal) {
            sb.append("NORMAL");
        } else if (a instanceof OfAction.Flood) {
            sb.append("FLOOD");
        } else if (a instanceof OfAction.All) {
            sb.append("ALL");
        } else if (a instanceof OfAction.InPort) {
            sb.append("IN_PORT");
        } else if (a instanceof OfAction.Local) {
            sb.append("LOCAL");
        } else if (a instanceof OfAction.Controller c) {
            PinSyntax.appendController(sb, c);
        } else if (a instanceof OfAction.Sample s) {
            PinSyntax.appendSample(sb, s);
        } else if (a instanceof OfAction.OutputReg o) {
            PinSyntax.appendOutputReg(sb, o, proto);
        } else if (a instanceof OfAction.CheckPktLarger k) {
            NxmNames.subfield(sb.append("check_pkt_larger(").append(k.pktLen()).append(")->"), k.dst(), proto);
        } else if (a instanceof OfAction.Meter m) {
            sb.append("meter:").append(m.meterId());
        } else if (a instanceof OfAction.ModVlanVid v) {
            sb.append("mod_vlan_vid:").append(v.vid());
        } else if (a instanceof OfAction.ModVlanPcp v) {
            sb.append("mod_vlan_pcp:").append(v.pcp());
        } else if (a instanceof OfAction.StripVlan) {
            sb.append("strip_vlan");
        } else if (a instanceof OfAction.PushVlan v) {
            sb.append("push_vlan:0x").append(Integer.toHexString(v.ethType()));
        } else if (a instanceof OfAction.ModDlSrc m) {
            Addresses.appendMac(sb.append("mod_dl_src:"), m.mac());
        } else if (a instanceof OfAction.ModDlDst m) {
            Addresses.appendMac(sb.append("mod_dl_dst:"), m.mac());
        } else if (a instanceof OfAction.ModNwSrc m) {
            Addresses.appendIpv4(sb.append("mod_nw_src:"), m.ipv4());
        } else if (a instanceof OfAction.ModNwDst m) {
            Addresses.appendIpv4(sb.append("mod_nw_dst:"), m.ipv4());
        } else if (a instanceof OfAction.ModNwTos m) {
            sb.append("mod_nw_tos:").append(m.tos());
        } else if (a instanceof OfAction.ModNwTtl m) {
            sb.append("mod_nw_ttl:").append(m.ttl());
        } else if (a instanceof OfAction.DecTtl d) {
            sb.append("dec_ttl");
            if (d.controllerIds() != null) {
                sb.append('(');
                for (int i = 0; i < d.controllerIds().size(); i++) {
                    sb.append(i == 0 ? "" : ",").append(d.controllerIds().get(i));
                }
                sb.append(')');
            }
        } else if (a instanceof OfAction.ModTpSrc m) {
            sb.append("mod_tp_src:").append(m.port());
        } else if (a instanceof OfAction.ModTpDst m) {
            sb.append("mod_tp_dst:").append(m.port());
        } else if (a instanceof OfAction.SetField s) {
            sb.append("set_field:");
            FlowField f = s.field();
            if (f.isTunnelMetadata() && TunMetadataText.isLong(s)) {
                TunMetadataText.appendSetValue(sb, s);
            } else if (f.is128() && f.format() == FieldFormat.HEX) {
                FieldText.appendHex128(sb, s.valueHigh(), s.value(), s.maskHigh(), s.mask());
            } else if (f.is128()) {
                FieldText.append128(sb, s.valueHigh(), s.value(), s.maskHigh(), s.mask());
            } else {
                FieldText.append(sb, f, s.value(), s.mask());
            }
            sb.append("->").append(f.ovsName());
        } else if (a instanceof OfAction.Load l) {
            // OVS's "%#x": no 0x for zero.
            sb.append(l.value() == 0 ? "load:0" : "load:0x" + Long.toHexString(l.value())).append("->");
            NxmNames.subfield(sb, l.dst(), proto);
        } else if (a instanceof OfAction.Move m) {
            NxmNames.subfield(sb.append("move:"), m.src(), proto).append("->");
            NxmNames.subfield(sb, m.dst(), proto);
        } else if (a instanceof OfAction.Learn l) {
            LearnSyntax.append(sb, l, proto);
        } else if (a instanceof OfAction.Resubmit r) {
            appendResubmit(sb, r);
        } else if (a instanceof OfAction.GotoTable g) {
            sb.append("goto_table:").append(g.table());
        } else if (a instanceof OfAction.GroupAction g) {
            sb.append("group:").append(g.groupId());
        } else if (a instanceof OfAction.Conjunction c) {
            sb.append("conjunction(").append(c.id()).append(',').append(c.clause()).append('/').append(c.nClauses())
                    .append(')');
        } else if (a instanceof OfAction.Clone cl) {
            sb.append("clone(");
            if (!cl.actions().isEmpty()) {
                append(sb, cl.actions(), proto);
            }
            sb.append(')');
        } else if (a instanceof OfAction.StackPush sp) {
            NxmNames.subfield(sb.append("push:"), sp.src(), proto);
        } else if (a instanceof OfAction.StackPop sp) {
            NxmNames.subfield(sb.append("pop:"), sp.dst(), proto);
        } else if (a instanceof OfAction.Multipath m) {
            sb.append("multipath(").append(m.fields().ovsName()).append(',').append(m.basis()).append(',')
                    .append(m.algorithm().ovsName()).append(',').append(m.nLinks()).append(',').append(m.arg())
                    .append(',');
            NxmNames.subfield(sb, m.dst(), proto).append(')');
        } else if (a instanceof OfAction.Bundle b) {
            sb.append(b.dst() == null ? "bundle(" : "bundle_load(").append(b.fields().ovsName()).append(',')
                    .append(b.basis()).append(',').append(b.hrw() ? "hrw" : "active_backup").append(",ofport,");
            if (b.dst() != null) {
                NxmNames.subfield(sb, b.dst(), proto).append(',');
            }
            sb.append("members:");
            for (int i = 0; i < b.members().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(b.members().get(i));
            }
            sb.append(')');
        } else if (a instanceof OfAction.WriteMetadata m) {
            sb.append("write_metadata:0x").append(Long.toHexString(m.metadata()));
            if (m.mask() != -1L) {
                sb.append("/0x").append(Long.toHexString(m.mask()));
            }
        } else if (a instanceof OfAction.SetTunnel t) {
            sb.append((t.tunId() >>> 32) == 0 ? "set_tunnel:0x" : "set_tunnel64:0x")
                    .append(Long.toHexString(t.tunId()));
        } else if (a instanceof OfAction.Ct ct) {
            CtSyntax.format(sb, ct);
        } else if (a instanceof OfAction.CtClear) {
            sb.append("ct_clear");
        } else if (a instanceof OfAction.FinTimeout f) {
            FinTimeoutSyntax.append(sb, f);
        } else if (a instanceof OfAction.Note n) {
            sb.append("note:");
            byte[] bytes = n.bytes();
            for (int i = 0; i < bytes.length; i++) {
                sb.append(i == 0 ? "" : ".").append(Character.forDigit((bytes[i] >> 4) & 0xf, 16))
                        .append(Character.forDigit(bytes[i] & 0xf, 16));
            }
        } else {
            throw new AssertionError(a);
        }
    }

    private static void appendResubmit(StringBuilder sb, OfAction.Resubmit r) {
        if (r.port() != OfPorts.IN_PORT && r.table() == OfAction.Resubmit.CURRENT_TABLE) {
            sb.append("resubmit:").append(OfPorts.format(r.port()));
            return;
        }
        sb.append("resubmit(");
        if (r.port() != OfPorts.IN_PORT) {
            sb.append(OfPorts.format(r.port()));
        }
        sb.append(',');
        if (r.table() != OfAction.Resubmit.CURRENT_TABLE) {
            sb.append(r.table());
        }
        sb.append(')');
    }
}
