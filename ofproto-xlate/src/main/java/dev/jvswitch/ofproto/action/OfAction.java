package dev.jvswitch.ofproto.action;

import java.util.Arrays;
import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * One OpenFlow action of a rule or group bucket, as ovs-ofctl writes it. A rule's action list is
 * a {@code List<OfAction>}; the empty list is {@code drop}. Translation
 * ({@code dev.jvswitch.ofproto.xlate}) turns a list into a datapath action program; the syntax
 * package parses and prints them.
 *
 * <p>Every record checks its ranges in its constructor, so an action that exists is valid on its
 * own; whether it fits the rule's match (e.g. {@code set_field} to {@code tp_dst} without
 * {@code tcp}) is checked where a rule is parsed. Reserved output ports have records of their
 * own ({@link Normal}, {@link Flood}, ...) so that each action has exactly one representation.
 *
 * <p><b>Thread-safety:</b> every record is immutable.
 */
public sealed interface OfAction {

    /** {@code output:N}: to bridge port N ({@link OfPorts#isOutputPort}: 0..{@link OfPorts#MAX}-1). */
    record Output(int port) implements OfAction {
        public Output {
            if (!OfPorts.isOutputPort(port)) {
                throw new IllegalArgumentException("output: port " + port + " out of range 0.." + (OfPorts.MAX - 1));
            }
        }
    }

    /** {@code normal}: L2 switching with MAC learning. */
    record Normal() implements OfAction {
    }

    /** {@code flood}: every port but the input port (and those with flooding off). */
    record Flood() implements OfAction {
    }

    /** {@code all}: every port but the input port. */
    record All() implements OfAction {
    }

    /** {@code in_port}: back out of the input port. */
    record InPort() implements OfAction {
    }

    /** {@code local}: to the bridge's internal port. */
    record Local() implements OfAction {
    }

    /**
     * {@code controller:maxLen} or {@code controller(reason=..,max_len=..,id=..,userdata=..,pause,
     * meter_id=..)}: a packet-in (OVS's {@code ofpact_controller}). {@code userdata} goes to the
     * controller as it is (NXT_PACKET_IN2 only); with {@code pause} translation stops here and the
     * controller may resume it (NXT_RESUME) with the actions after this one.
     *
     * @param reason       the packet-in reason (OpenFlow's {@code OFPR_*}: 0..5)
     * @param controllerId which controller connections get it (0: those with id 0)
     * @param meterId      the meter to pass first, or {@link #NO_METER}
     */
    record Controller(int maxLen, int reason, int controllerId, byte[] userdata, boolean pause, long meterId)
            implements OfAction {
        public static final int DEFAULT_MAX_LEN = 65535;
        public static final long NO_METER = 0xffff_ffffL;
        public static final int REASON_NO_MATCH = 0;
        public static final int REASON_ACTION = 1;
        public static final int REASON_INVALID_TTL = 2;
        /** OVS's names of reasons 0..5, as {@code controller(reason=...)} writes them. */
        public static final List<String> REASONS = List.of("no_match", "action", "invalid_ttl", "action_set",
                "group", "packet_out");

        public Controller {
            checkRange("controller: max_len", maxLen, 0, 65535);
            checkRange("controller: reason", reason, 0, REASONS.size() - 1);
            checkRange("controller: id", controllerId, 0, 65535);
            checkRange("controller: meter_id", meterId, 0, NO_METER);
            userdata = userdata == null ? new byte[0] : userdata.clone();
        }

        /** {@code CONTROLLER:maxLen}: reason action, controller 0, nothing more. */
        public Controller(int maxLen) {
            this(maxLen, REASON_ACTION, 0, null, false, NO_METER);
        }

        /** True if this is a plain {@code output:CONTROLLER} (OpenFlow's own action can carry it). */
        public boolean plain() {
            return reason == REASON_ACTION && controllerId == 0 && userdata.length == 0 && !pause
                    && meterId == NO_METER;
        }

        /** A copy of the user data. */
        @Override
        public byte[] userdata() {
            return userdata.clone();
        }

        /** The user data's length, without a copy. */
        public int userdataLength() {
            return userdata.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Controller c && c.maxLen == maxLen && c.reason == reason
                    && c.controllerId == controllerId && Arrays.equals(c.userdata, userdata) && c.pause == pause
                    && c.meterId == meterId;
        }

        @Override
        public int hashCode() {
            return ((maxLen * 31 + reason) * 31 + controllerId) * 31 + Arrays.hashCode(userdata)
                    + (pause ? 1 : 0) + Long.hashCode(meterId);
        }

        @Override
        public String toString() {
            return "Controller[maxLen=" + maxLen + ", reason=" + reason + ", id=" + controllerId + ", userdata="
                    + userdata.length + " bytes, pause=" + pause + ", meterId=" + meterId + "]";
        }
    }

    /**
     * {@code sample(probability=..,collector_set_id=..,obs_domain_id=..,obs_point_id=..
     * [,sampling_port=..][,ingress|egress])}: IPFIX/sFlow sampling (OVS's {@code ofpact_sample}).
     * jvswitch has no IPFIX exporter: translation counts it and does nothing else.
     *
     * @param samplingPort the port named by {@code sampling_port} (16-bit numbering), or {@link #NO_PORT}
     * @param direction    0 default, 1 ingress, 2 egress
     */
    record Sample(int probability, long collectorSetId, long obsDomainId, long obsPointId, int samplingPort,
            int direction) implements OfAction {
        /** OFPP_NONE: no sampling port. */
        public static final int NO_PORT = OfPorts.NONE;

        public Sample {
            checkRange("sample: probability", probability, 1, 65535);
            checkRange("sample: collector_set_id", collectorSetId, 0, 0xffff_ffffL);
            checkRange("sample: obs_domain_id", obsDomainId, 0, 0xffff_ffffL);
            checkRange("sample: obs_point_id", obsPointId, 0, 0xffff_ffffL);
            checkRange("sample: direction", direction, 0, 2);
            checkRange("sample: sampling_port", samplingPort, 0, OfPorts.NONE);
        }
    }

    /**
     * {@code check_pkt_larger(N)->dst}: writes 1 into the one-bit {@code dst} if the packet is
     * longer than N bytes, else 0 (OVS's {@code ofpact_check_pkt_larger}).
     */
    record CheckPktLarger(int pktLen, FieldRef dst) implements OfAction {
        public CheckPktLarger {
            checkRange("check_pkt_larger: length", pktLen, 0, 65535);
            if (dst.nBits() != 1) {
                throw new IllegalArgumentException("check_pkt_larger: " + dst + " is not one bit");
            }
        }
    }

    /**
     * {@code output:FIELD[a..b]} or {@code output(port=FIELD[a..b],max_len=N)}: to the port the
     * field's bits hold (OVS's {@code ofpact_output_reg}).
     */
    record OutputReg(FieldRef src, int maxLen) implements OfAction {
        public OutputReg {
            checkRange("output: max_len", maxLen, 0, 65535);
            if (src.nBits() > 32) {
                throw new IllegalArgumentException("output: " + src + " is wider than a port");
            }
        }
    }

    /** {@code meter:N}: pass meter N first (OpenFlow 1.3's meter instruction, 1.5's action). */
    record Meter(long meterId) implements OfAction {
        public Meter {
            checkRange("meter", meterId, 1, 0xffff_0000L);
        }
    }

    /** {@code mod_vlan_vid:vid}: set the VLAN id, pushing a tag if the packet has none. */
    record ModVlanVid(int vid) implements OfAction {
        public ModVlanVid {
            checkRange("mod_vlan_vid", vid, 0, 4095);
        }
    }

    /** {@code mod_vlan_pcp:pcp}: set the VLAN priority, pushing a tag if the packet has none. */
    record ModVlanPcp(int pcp) implements OfAction {
        public ModVlanPcp {
            checkRange("mod_vlan_pcp", pcp, 0, 7);
        }
    }

    /** {@code strip_vlan} (also written {@code pop_vlan}): remove the outer VLAN tag. */
    record StripVlan() implements OfAction {
    }

    /** {@code push_vlan:ethertype}: push a tag with VID 0 and the given TPID (0x8100 or 0x88a8). */
    record PushVlan(int ethType) implements OfAction {
        public PushVlan {
            if (ethType != 0x8100 && ethType != 0x88a8) {
                throw new IllegalArgumentException("push_vlan: ethertype 0x" + Integer.toHexString(ethType)
                        + " is not 0x8100 or 0x88a8");
            }
        }
    }

    /** {@code mod_dl_src:mac}. */
    record ModDlSrc(long mac) implements OfAction {
        public ModDlSrc {
            checkMac("mod_dl_src", mac);
        }
    }

    /** {@code mod_dl_dst:mac}. */
    record ModDlDst(long mac) implements OfAction {
        public ModDlDst {
            checkMac("mod_dl_dst", mac);
        }
    }

    /** {@code mod_nw_src:a.b.c.d} (IPv4 only). */
    record ModNwSrc(int ipv4) implements OfAction {
    }

    /** {@code mod_nw_dst:a.b.c.d} (IPv4 only). */
    record ModNwDst(int ipv4) implements OfAction {
    }

    /** {@code mod_nw_tos:tos}: the DSCP bits of the TOS byte; the low two (ECN) bits must be 0. */
    record ModNwTos(int tos) implements OfAction {
        public ModNwTos {
            checkRange("mod_nw_tos", tos, 0, 255);
            if ((tos & 3) != 0) {
                throw new IllegalArgumentException("mod_nw_tos: " + tos + " sets ECN bits (must be a multiple of 4)");
            }
        }
    }

    /** {@code mod_nw_ttl:ttl}. */
    record ModNwTtl(int ttl) implements OfAction {
        public ModNwTtl {
            checkRange("mod_nw_ttl", ttl, 0, 255);
        }
    }

    /**
     * {@code dec_ttl}: decrement the IP TTL / hop limit; a packet reaching 0 is dropped.
     * {@code controllerIds} is null for the plain form and the ids written in
     * {@code dec_ttl(id,...)} ({@code NXAST_DEC_TTL_CNT_IDS}; ovn-controller sends it empty).
     */
    record DecTtl(List<Integer> controllerIds) implements OfAction {
        public DecTtl() {
            this(null);
        }

        public DecTtl {
            if (controllerIds != null) {
                controllerIds = List.copyOf(controllerIds);
                for (int id : controllerIds) {
                    checkRange("dec_ttl: controller id", id, 0, 65535);
                }
            }
        }
    }

    /** {@code mod_tp_src:port} (TCP, UDP or SCTP). */
    record ModTpSrc(int port) implements OfAction {
        public ModTpSrc {
            checkRange("mod_tp_src", port, 0, 65535);
        }
    }

    /** {@code mod_tp_dst:port} (TCP, UDP or SCTP). */
    record ModTpDst(int port) implements OfAction {
        public ModTpDst {
            checkRange("mod_tp_dst", port, 0, 65535);
        }
    }

    /**
     * {@code set_field:value[/mask]->field}. For a field of at most 64 bits the value and mask are
     * in {@code value}/{@code mask} and the high words are 0; a 128-bit field uses all four. The
     * value has no bits outside the mask, and the mask is never 0. Tunnel fields ({@code tun_id},
     * {@code tun_src}, {@code tun_dst}) are set through this action too, and {@code tun_metadataN}
     * whose option is longer than 4 bytes: its data as a number of up to 128 bits, and for an option
     * longer than that all its bytes in {@code wide} (null otherwise; see {@link OptionBytes}).
     */
    record SetField(FlowField field, long valueHigh, long value, long maskHigh, long mask, OptionBytes wide)
            implements OfAction {
        public SetField {
            if (field == null || wide != null && !field.isTunnelMetadata()) {
                throw new IllegalArgumentException("set_field without a field, or option bytes outside tun_metadata");
            }
            if (!field.is128() && !field.isTunnelMetadata()) {
                if (valueHigh != 0 || maskHigh != 0 || (mask & ~field.valueMask()) != 0
                        || (value & ~field.valueMask()) != 0) {
                    throw new IllegalArgumentException("set_field: value or mask does not fit " + field.ovsName());
                }
            }
            if (mask == 0 && maskHigh == 0 && wide == null) {
                throw new IllegalArgumentException("set_field: mask for " + field.ovsName() + " is 0");
            }
            value &= mask;
            valueHigh &= maskHigh;
        }

        public SetField(FlowField field, long valueHigh, long value, long maskHigh, long mask) {
            this(field, valueHigh, value, maskHigh, mask, null);
        }

        /** Sets every bit of a field of at most 64 bits. */
        public static SetField exact(FlowField field, long value) {
            return new SetField(field, 0, value, 0, field.valueMask());
        }

        /** Sets the bits of {@code mask} of a field of at most 64 bits. */
        public static SetField masked(FlowField field, long value, long mask) {
            return new SetField(field, 0, value, 0, mask);
        }

        /** Sets every bit of a 128-bit field. */
        public static SetField exact128(FlowField field, long high, long low) {
            return new SetField(field, high, low, -1L, -1L);
        }

        public boolean isMasked() {
            return field.is128() ? (mask != -1L || maskHigh != -1L) : mask != field.valueMask();
        }
    }

    /** {@code load:value->field[start..end]}: at most 64 bits; {@code value} fits {@code nBits}. */
    record Load(long value, FieldRef dst) implements OfAction {
        public Load {
            if (dst == null) {
                throw new IllegalArgumentException("load without a destination");
            }
            if (dst.nBits() > 64) {
                throw new IllegalArgumentException("load: " + dst + " is wider than 64 bits");
            }
            if (dst.nBits() < 64 && (value >>> dst.nBits()) != 0) {
                throw new IllegalArgumentException("load: value 0x" + Long.toHexString(value) + " does not fit "
                        + dst);
            }
        }
    }

    /** {@code move:src[..]->dst[..]}: copy bits; both runs have the same width. */
    record Move(FieldRef src, FieldRef dst) implements OfAction {
        public Move {
            if (src == null || dst == null) {
                throw new IllegalArgumentException("move without a source or destination");
            }
            if (src.nBits() != dst.nBits()) {
                throw new IllegalArgumentException("move: " + src + " is " + src.nBits() + " bits but " + dst
                        + " is " + dst.nBits());
            }
        }
    }

    /**
     * {@code resubmit(port,table)}: look the packet up again, with in_port replaced by {@code port}
     * unless it is {@link OfPorts#IN_PORT}, in table {@code table} ({@link #CURRENT_TABLE} = the
     * table of the rule that resubmits). Any port number goes, as in OVS: ovn-controller's
     * packet-outs resubmit as {@code CONTROLLER}.
     */
    record Resubmit(int port, int table) implements OfAction {
        public static final int CURRENT_TABLE = 255;

        public Resubmit {
            checkRange("resubmit: port", port, 0, OfPorts.NONE);
            checkRange("resubmit: table", table, 0, 255);
        }
    }

    /** {@code goto_table:N}: continue in a later table. */
    record GotoTable(int table) implements OfAction {
        public GotoTable {
            checkRange("goto_table", table, 0, 254);
        }
    }

    /**
     * The {@code write_metadata:value/mask} instruction as a rule keeps it (OVS's
     * {@code ofpact_metadata}): after the apply actions, before {@code goto_table}.
     */
    record WriteMetadata(long metadata, long mask) implements OfAction {
        public WriteMetadata {
            metadata &= mask;
        }
    }

    /**
     * {@code conjunction(id,k/n)}: this flow is clause {@code k} of the {@code n} clauses of
     * conjunctive match {@code id} (OVS's {@code ofpact_conjunction}). A flow whose actions are
     * conjunctions (and notes) is only a clause: the classifier matches {@code conj_id=id} once
     * every clause of {@code id} matched at one priority.
     */
    record Conjunction(long id, int clause, int nClauses) implements OfAction {
        public Conjunction {
            checkRange("conjunction: id", id, 0, 0xffff_ffffL);
            checkRange("conjunction: number of clauses", nClauses, 2, 64);
            checkRange("conjunction: clause", clause, 1, nClauses);
        }
    }

    /**
     * {@code multipath(fields,basis,algorithm,n_links,arg,dst)}: hashes {@code fields} and writes
     * a link number below {@code nLinks}, chosen by {@code algorithm}, into {@code dst}.
     */
    record Multipath(HashFields fields, int basis, Algorithm algorithm, int nLinks, long arg, FieldRef dst)
            implements OfAction {
        /** OVS's {@code nx_mp_algorithm}. */
        public enum Algorithm {
            MODULO_N, HASH_THRESHOLD, HRW, ITER_HASH;

            public String ovsName() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        public Multipath {
            checkRange("multipath: basis", basis, 0, 65535);
            checkRange("multipath: n_links", nLinks, 1, 65536);
            if (dst == null || fields == null || algorithm == null) {
                throw new IllegalArgumentException("multipath without fields, algorithm or destination");
            }
            if (dst.nBits() < 16 && nLinks > (1 << dst.nBits())) {
                throw new IllegalArgumentException("multipath: " + dst.nBits() + "-bit destination field has "
                        + (1 << dst.nBits()) + " possible values, less than specified n_links " + nLinks);
            }
        }
    }

    /**
     * {@code bundle(fields,basis,algorithm,ofport,members:...)} (an output to the chosen live
     * member) and {@code bundle_load(...,dst,members:...)} (the chosen port number written into
     * {@code dst}, null for {@code bundle}).
     */
    record Bundle(HashFields fields, int basis, boolean hrw, List<Integer> members, FieldRef dst)
            implements OfAction {
        public Bundle {
            checkRange("bundle: basis", basis, 0, 65535);
            members = List.copyOf(members);
            if (fields == null) {
                throw new IllegalArgumentException("bundle without fields");
            }
        }
    }

    /**
     * {@code clone(actions)}: runs {@code actions} on a copy of the packet; afterwards the flow
     * (registers included) is what it was, as in OVS.
     */
    record Clone(List<OfAction> actions) implements OfAction {
        public Clone {
            actions = List.copyOf(actions);
            for (OfAction a : actions) {
                if (a instanceof GotoTable) {
                    throw new IllegalArgumentException("goto_table is an instruction, not an action of clone");
                }
            }
        }
    }

    /**
     * {@code learn(...)} (OVS's {@code ofpact_learn}): adds or refreshes a flow in table
     * {@code table} whose match and actions {@code specs} build from the packet being translated.
     * A non-zero {@code finIdleTimeout} or {@code finHardTimeout} puts a {@link FinTimeout} with
     * them first in the learned flow's actions, as OVS's {@code learn_execute} does.
     *
     * @param limit     most flows this action may have learned at once in {@code table}; 0: no limit
     * @param resultDst the one bit that says whether the flow was learned, or null
     */
    record Learn(int table, int idleTimeout, int hardTimeout, int finIdleTimeout, int finHardTimeout, int priority,
            long cookie, boolean sendFlowRem, boolean deleteLearned, int limit, FieldRef resultDst,
            List<LearnSpec> specs) implements OfAction {
        /** The table a learn writes to when it names none (OVS's default: 1, not 0). */
        public static final int DEFAULT_TABLE = 1;

        public Learn {
            checkRange("learn: table", table, 0, 254);
            checkRange("learn: idle_timeout", idleTimeout, 0, 65535);
            checkRange("learn: hard_timeout", hardTimeout, 0, 65535);
            checkRange("learn: fin_idle_timeout", finIdleTimeout, 0, 65535);
            checkRange("learn: fin_hard_timeout", finHardTimeout, 0, 65535);
            checkRange("learn: priority", priority, 0, 65535);
            if (limit < 0) {
                throw new IllegalArgumentException("learn: limit " + limit + " is negative");
            }
            if (resultDst != null && resultDst.nBits() != 1) {
                throw new IllegalArgumentException("learn: result_dst " + resultDst + " is not a single bit");
            }
            specs = List.copyOf(specs);
        }
    }

    /**
     * {@code fin_timeout(idle_timeout=N,hard_timeout=N)} (OVS's {@code NXAST_FIN_TIMEOUT}): when a
     * TCP packet with FIN or RST passes, the rule holding this action gets its idle and hard
     * timeouts lowered to these (seconds), never raised; 0 leaves that timeout alone. The packet
     * and the datapath actions are unchanged.
     */
    record FinTimeout(int idleTimeout, int hardTimeout) implements OfAction {
        public FinTimeout {
            checkRange("fin_timeout: idle_timeout", idleTimeout, 0, 65535);
            checkRange("fin_timeout: hard_timeout", hardTimeout, 0, 65535);
        }
    }

    /** {@code push:field[range]}: pushes the bits onto the translation's stack. */
    record StackPush(FieldRef src) implements OfAction {
        public StackPush {
            if (src == null) {
                throw new IllegalArgumentException("push without a field");
            }
        }
    }

    /** {@code pop:field[range]}: pops the top of the stack into the bits (its low bits). */
    record StackPop(FieldRef dst) implements OfAction {
        public StackPop {
            if (dst == null) {
                throw new IllegalArgumentException("pop without a field");
            }
        }
    }

    /** {@code group:N}: run group N. */
    record GroupAction(long groupId) implements OfAction {
        /** Highest group id a group may have (OFPG_MAX); the numbers above it are reserved. */
        public static final long MAX_ID = 0xffffff00L;

        public GroupAction {
            checkRange("group", groupId, 0, MAX_ID);
        }
    }

    /** {@code set_tunnel:id} (also {@code set_tunnel64}): the tunnel key of the packet's next encapsulation. */
    record SetTunnel(long tunId) implements OfAction {
    }

    /** {@code note:hex.bytes}: does nothing; carries bytes for the controller or the reader. */
    record Note(byte[] bytes) implements OfAction {
        public Note {
            bytes = bytes.clone();
        }

        /** A copy of the bytes. */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Note && Arrays.equals(bytes, ((Note) o).bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Note[");
            for (int i = 0; i < bytes.length; i++) {
                sb.append(i == 0 ? "" : ".").append(String.format("%02x", bytes[i] & 0xff));
            }
            return sb.append(']').toString();
        }
    }

    /**
     * {@code ct(commit,force,zone=N|zone=FIELD[a..b],table=T,exec(...))}: send the packet through
     * connection tracking (OVS's {@code NXAST_CT}). With {@code table} the packet is also
     * recirculated, tracked, to that table (a fork: the actions after {@code ct} go on with the
     * untracked packet). {@code exec} may only write {@code ct_mark} and {@code ct_label}
     * (set_field, load, or move as OVN's {@code ct_commit} moves a register into the label), and
     * only with {@code commit}. {@code nat} (OVS's {@code ofpact_nat} as the first nested action)
     * is the datapath's own NAT argument, carried as it is.
     *
     * @param zoneImm  the zone when {@code zoneSrc} is null (0..65535)
     * @param zoneSrc  16 bits of a field to read the zone from, or null
     * @param table    the table to recirculate to, or {@link #NO_RECIRC}
     * @param nat      {@code nat(...)}, or null
     */
    record Ct(boolean commit, boolean force, int zoneImm, FieldRef zoneSrc, int table, List<OfAction> exec,
            dev.jvswitch.flowcache.actions.DpCt.Nat nat, int alg) implements OfAction {
        /** OVS's {@code NX_CT_RECIRC_NONE}: no recirculation. */
        public static final int NO_RECIRC = 255;
        /** {@code alg} values: OVS keeps the helper as its well-known port (0 for none). */
        public static final int ALG_FTP = 21;
        public static final int ALG_TFTP = 69;

        public Ct(boolean commit, boolean force, int zoneImm, FieldRef zoneSrc, int table, List<OfAction> exec) {
            this(commit, force, zoneImm, zoneSrc, table, exec, null);
        }

        public Ct(boolean commit, boolean force, int zoneImm, FieldRef zoneSrc, int table, List<OfAction> exec,
                dev.jvswitch.flowcache.actions.DpCt.Nat nat) {
            this(commit, force, zoneImm, zoneSrc, table, exec, nat, 0);
        }

        public Ct {
            checkRange("ct: zone", zoneImm, 0, 65535);
            checkRange("ct: table", table, 0, 255);
            if (zoneSrc != null && zoneSrc.nBits() != 16) {
                throw new IllegalArgumentException("ct: zone field " + zoneSrc + " must be 16 bits wide");
            }
            exec = List.copyOf(exec);
            for (OfAction a : exec) {
                FlowField f = a instanceof SetField sf ? sf.field() : a instanceof Load l ? l.dst().field()
                        : a instanceof Move m ? m.dst().field() : null;
                if (f != FlowField.CT_MARK && f != FlowField.CT_LABEL) {
                    throw new IllegalArgumentException("ct: exec may only set ct_mark or ct_label");
                }
            }
            if (!exec.isEmpty() && !commit) {
                throw new IllegalArgumentException("ct: exec requires commit");
            }
            if (force && !commit) {
                throw new IllegalArgumentException("ct: force requires commit");
            }
            if (alg != 0 && alg != ALG_FTP && alg != ALG_TFTP) {
                throw new IllegalArgumentException("ct: alg " + alg + " is not ftp (21) or tftp (69)");
            }
        }
    }

    /** {@code ct_clear}: forget the packet's connection tracking state. */
    record CtClear() implements OfAction {
    }

    /**
     * True if {@code actions} output to {@code port} (OVS's {@code ofpacts_output_to_port}): an
     * {@code output:N} to it, or the action of a reserved port ({@code NORMAL}, {@code FLOOD},
     * {@code ALL}, {@code IN_PORT}, {@code LOCAL}, {@code CONTROLLER}) when {@code port} is that
     * number. What flow mods' and flow stats' {@code out_port} filters by.
     */
    static boolean outputsTo(List<OfAction> actions, int port) {
        for (OfAction a : ActionCheck.flattened(actions)) {
            if (portOf(a) == port) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code actions} send to group {@code groupId}: what {@code out_group} filters by. */
    static boolean sendsToGroup(List<OfAction> actions, long groupId) {
        for (OfAction a : ActionCheck.flattened(actions)) {
            if (a instanceof GroupAction g && g.groupId() == groupId) {
                return true;
            }
        }
        return false;
    }

    private static int portOf(OfAction a) {
        if (a instanceof Output o) {
            return o.port();
        } else if (a instanceof Normal) {
            return OfPorts.NORMAL;
        } else if (a instanceof Flood) {
            return OfPorts.FLOOD;
        } else if (a instanceof All) {
            return OfPorts.ALL;
        } else if (a instanceof InPort) {
            return OfPorts.IN_PORT;
        } else if (a instanceof Local) {
            return OfPorts.LOCAL;
        } else if (a instanceof Controller) {
            return OfPorts.CONTROLLER;
        }
        return -1;
    }

    private static void checkRange(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + ": " + v + " out of range " + min + ".." + max);
        }
    }

    private static void checkMac(String what, long mac) {
        if ((mac >>> 48) != 0) {
            throw new IllegalArgumentException(what + ": 0x" + Long.toHexString(mac) + " is not a 48-bit MAC");
        }
    }
}
