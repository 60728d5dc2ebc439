package dev.jvswitch.ofproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error class, with the exact one-line message and column it gives. */
class SyntaxErrorTest {
    private static final Set<SyntaxError> SEEN = EnumSet.noneOf(SyntaxError.class);

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // class | flow text | message
        "UNKNOWN_FIELD|table=0,priority=100,in_port=1,nw_dsst=10.0.0.1,actions=drop"
            + "|flow syntax error at column 32: unknown field 'nw_dsst'",
        "UNKNOWN_ACTION|ip,actions=outptu:2|flow syntax error at column 12: unknown action 'outptu'",
        "MISSING_VALUE|tcp,tp_dst=,actions=drop|flow syntax error at column 5: missing value for 'tp_dst'",
        "MISSING_VALUE|tcp,tp_dst,actions=drop|flow syntax error at column 5: missing value for 'tp_dst'",
        "MISSING_VALUE|ip,actions=output|flow syntax error at column 12: missing value for 'output'",
        "MISSING_VALUE|ip,actions=|flow syntax error at column 4: missing value for 'actions'",
        "MISSING_VALUE|priority=,actions=drop|flow syntax error at column 1: missing value for 'priority'",
        "UNEXPECTED_VALUE|tcp=1,actions=drop|flow syntax error at column 1: 'tcp' takes no value",
        "UNEXPECTED_VALUE|actions=strip_vlan:1|flow syntax error at column 9: 'strip_vlan' takes no value",
        "BAD_VALUE|ip,nw_dst=10.0.0.256,actions=drop"
            + "|flow syntax error at column 11: invalid value '10.0.0.256' for nw_dst (expected an IPv4 address)",
        "BAD_VALUE|dl_src=00:11:22:33:44,actions=drop"
            + "|flow syntax error at column 8: invalid value '00:11:22:33:44' for dl_src (expected a MAC address)",
        "BAD_VALUE|tcp,tp_dst=http,actions=drop"
            + "|flow syntax error at column 12: invalid value 'http' for tp_dst (expected a number)",
        "BAD_VALUE|ipv6,ipv6_src=2001:db8::g,actions=drop"
            + "|flow syntax error at column 15: invalid value '2001:db8::g' for ipv6_src (expected an IPv6 address)",
        "BAD_VALUE|\"tcp,tcp_flags=syn|fnord,actions=drop\""
            + "|\"flow syntax error at column 19: invalid value 'fnord' for tcp_flags (expected TCP flags such as syn|fin or +syn-fin)\"",
        "BAD_VALUE|ip,nw_frag=maybe,actions=drop"
            + "|flow syntax error at column 12: invalid value 'maybe' for nw_frag (expected no, yes, first, later or not_later)",
        "BAD_VALUE|ip,nw_tos=33,actions=drop"
            + "|flow syntax error at column 11: invalid value '33' for nw_tos (expected a multiple of 4)",
        "BAD_VALUE|actions=output:65280|flow syntax error at column 16: invalid value '65280' for output "
            + "(expected a port number or NORMAL, FLOOD, ALL, IN_PORT, LOCAL, CONTROLLER)",
        "BAD_VALUE|actions=output:TABLE|flow syntax error at column 16: invalid value 'TABLE' for output "
            + "(expected a port number or NORMAL, FLOOD, ALL, IN_PORT, LOCAL, CONTROLLER)",
        "BAD_VALUE|actions=push_vlan:0x800|flow syntax error at column 19: invalid value '0x800' for push_vlan "
            + "(expected 0x8100 or 0x88a8)",
        "BAD_VALUE|ip,actions=load:1->nw_dst[0..40]|flow syntax error at column 20: invalid value 'nw_dst[0..40]' "
            + "for load (expected bits within the field's 32, as nw_dst[start..end])",
        "BAD_VALUE|ip,actions=move:nw_src[0..7]->nw_dst[]|flow syntax error at column 17: invalid value "
            + "'nw_src[0..7]->nw_dst[]' for move (expected source and destination of equal width)",
        "BAD_VALUE|actions=note:abc|flow syntax error at column 14: invalid value 'abc' for note (expected hex bytes such as 01.02.ab)",
        "BAD_VALUE|priority=high,actions=drop|flow syntax error at column 10: invalid value 'high' for priority (expected a number)",
        "OUT_OF_RANGE|tcp,tp_dst=70000,actions=drop|flow syntax error at column 12: value '70000' out of range for tp_dst (0..65535)",
        "OUT_OF_RANGE|priority=65536,actions=drop|flow syntax error at column 10: value '65536' out of range for priority (0..65535)",
        "OUT_OF_RANGE|table=255,actions=drop|flow syntax error at column 7: value '255' out of range for table (0..254)",
        "OUT_OF_RANGE|dl_vlan=4096,actions=drop|flow syntax error at column 9: value '4096' out of range for dl_vlan (0..4095)",
        "OUT_OF_RANGE|actions=mod_vlan_vid:4096|flow syntax error at column 22: value '4096' out of range for mod_vlan_vid (0..4095)",
        "OUT_OF_RANGE|actions=goto_table:255|flow syntax error at column 20: value '255' out of range for goto_table (0..254)",
        "OUT_OF_RANGE|ip,actions=load:0x100->nw_dst[0..7]|flow syntax error at column 17: value '0x100' out of range for load (0..255)",
        "OUT_OF_RANGE|tun_id=0x10000000000000000,actions=drop"
            + "|flow syntax error at column 8: value '0x10000000000000000' out of range for tun_id (0..18446744073709551615)",
        "BAD_MASK|ip,nw_dst=10.0.0.0/33,actions=drop|flow syntax error at column 20: invalid mask '33' for nw_dst",
        "BAD_MASK|tcp,tp_dst=80/0x1ffff,actions=drop|flow syntax error at column 15: invalid mask '0x1ffff' for tp_dst",
        "BAD_MASK|ip,actions=set_field:10.0.0.1/0->nw_dst|flow syntax error at column 31: invalid mask '0' for nw_dst",
        "PREREQUISITE|tp_dst=80,actions=drop|flow syntax error at column 1: tp_dst needs tcp, udp or sctp",
        "PREREQUISITE|ipv6,nw_src=10.0.0.1,actions=drop|flow syntax error at column 6: nw_src needs ip",
        "PREREQUISITE|udp,tcp_dst=80,actions=drop|flow syntax error at column 5: tcp_dst needs tcp or tcp6",
        "PREREQUISITE|icmp6,nd_target=::1,actions=drop"
            + "|flow syntax error at column 7: nd_target needs icmp6 with icmp_type=135 or 136",
        "PREREQUISITE|ip,actions=set_field:80->tp_dst|flow syntax error at column 26: tp_dst needs tcp, udp or sctp",
        "PREREQUISITE|actions=move:nw_src[]->skb_mark[]|flow syntax error at column 14: nw_src needs ip",
        "CONFLICT|tcp,udp,actions=drop|flow syntax error at column 5: 'udp' conflicts with 'tcp' at column 1",
        "CONFLICT|tcp,tp_dst=80,tp_dst=81,actions=drop|flow syntax error at column 15: 'tp_dst=81' conflicts with 'tp_dst=80' at column 5",
        "CONFLICT|priority=1,priority=1,actions=drop|flow syntax error at column 12: 'priority=1' conflicts with 'priority=1' at column 1",
        "NOT_SUPPORTED|ip,actions=ct(commit,timeout=tp1),output:2"
            + "|flow syntax error at column 22: ct(timeout) is not supported (ct timeout policies)",
        "BAD_VALUE|ip,actions=ct(commit,alg=sip),output:2"
            + "|flow syntax error at column 26: invalid value 'sip' for ct alg (expected ftp or tftp)",
        "PREREQUISITE|actions=ct(commit),output:2|flow syntax error at column 9: ct needs ip or ipv6"
            + " (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "PREREQUISITE|arp,actions=ct(commit,nat(src=10.0.0.1)),output:2|flow syntax error at column 13: ct with nat"
            + " needs ip or ipv6 (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "PREREQUISITE|ipv6,actions=ct(commit,nat(src=10.0.0.1)),output:2|flow syntax error at column 14: nat with an"
            + " IPv4 address needs ip (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "PREREQUISITE|ip,actions=ct(commit,nat(dst=[fd00::1]:80)),output:2|flow syntax error at column 12: nat with"
            + " an IPv6 address needs ipv6 (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "PREREQUISITE|udp,actions=ct(commit,alg=ftp)|flow syntax error at column 13: ct with alg=ftp needs tcp"
            + " (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "PREREQUISITE|ip,actions=ct(commit,alg=tftp)|flow syntax error at column 12: ct with alg=tftp needs udp"
            + " (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "NOT_ALLOWED|ip,ct_state=+trk+inv,actions=ct(commit)|flow syntax error at column 30: 'ct(commit)' is not"
            + " allowed with ct_state=+inv (OVS: actions are invalid with specified match, OFPBAC_MATCH_INCONSISTENT)",
        "PREREQUISITE|ct_nw_src=10.0.0.1,actions=drop"
            + "|flow syntax error at column 1: ct_nw_src needs ct_state with +new, +est, +rel, +rpl or +trk-inv",
        "NOT_SUPPORTED|nsh_spi=1,actions=drop|flow syntax error at column 1: nsh_spi is not supported (NSH)",
        "NOT_ALLOWED|actions=set_field:1->ct_mark|flow syntax error at column 22: 'ct_mark' is not allowed as a set_field destination",
        "NOT_SUPPORTED|actions=resubmit(,1,ct)|flow syntax error at column 9: resubmit(...,ct) is not supported (connection tracking)",
        "NOT_SUPPORTED|actions=exit,output:2|flow syntax error at column 9: exit is not supported (the exit action)",
        "OUT_OF_RANGE|actions=meter:0,output:2|flow syntax error at column 15: value '0' out of range for meter (1..4294901760)",
        "OUT_OF_RANGE|actions=sample(probability=0)|flow syntax error at column 28: value '0' out of range for sample probability (1..65535)",
        "BAD_VALUE|actions=controller(bogus=1)|flow syntax error at column 20: invalid value 'bogus=1' for controller (expected reason, max_len, id, userdata, pause or meter_id)",
        "UNKNOWN_FIELD|reg16=1,actions=drop|flow syntax error at column 1: unknown field 'reg16'",
        "OUT_OF_RANGE|reg0=0x100000000,actions=drop|flow syntax error at column 6: value '0x100000000' out of range for reg0 (0..4294967295)",
        "NOT_ALLOWED|actions=set_field:1->conj_id|flow syntax error at column 22: 'conj_id' is not allowed as a set_field destination",
        "MISSING|tcp|flow syntax error at column 4: missing 'actions'",
        "MISSING|\"\"|flow syntax error at column 1: missing 'actions'",
        "NOT_ALLOWED|actions=drop,output:1|flow syntax error at column 9: 'drop' is not allowed with other actions",
        "NOT_ALLOWED|cookie=0x1/0xff,actions=drop|flow syntax error at column 1: 'cookie=0x1/0xff' is not allowed when adding a flow",
        "NOT_ALLOWED|ip,actions=set_field:0x800->eth_type|flow syntax error at column 29: 'eth_type' is not allowed as a set_field destination",
        "UNBALANCED|actions=resubmit(,1|flow syntax error at column 17: unbalanced '('",
        "UNBALANCED|actions=resubmit(,1))|flow syntax error at column 21: unbalanced ')'",
        "UNBALANCED|ip,actions=load:1->nw_dst[0..7|flow syntax error at column 26: unbalanced '['",
        "NOT_ALLOWED|ip,actions=goto_table:1,output:2|flow syntax error at column 25: 'output:2' is not allowed after goto_table",
        "NOT_ALLOWED|actions=write_actions(output:1),clear_actions"
            + "|flow syntax error at column 33: 'clear_actions' is not allowed after write_actions",
        "NOT_ALLOWED|actions=write_actions(goto_table:1)"
            + "|flow syntax error at column 23: 'goto_table:1' is not allowed inside write_actions",
        "NOT_ALLOWED|out_port=1,actions=drop|flow syntax error at column 1: 'out_port=1' is not allowed when adding a flow",
        "CONFLICT|actions=goto_table:1,goto_table:2"
            + "|flow syntax error at column 22: 'goto_table:2' conflicts with 'goto_table:1' at column 9",
        "BAD_MASK|actions=write_metadata:1/zz|flow syntax error at column 26: invalid mask 'zz' for write_metadata",
    })
    void flowErrors(SyntaxError error, String text, String message) {
        assertThatThrownBy(() -> FlowSyntax.parseAdd(text))
                .isInstanceOfSatisfying(SyntaxException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
        SEEN.add(error);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NOT_ALLOWED|tcp,actions=drop|flow syntax error at column 5: 'actions' is not allowed when deleting flows",
        "BAD_MASK|cookie=0x1/zz|flow syntax error at column 12: invalid mask 'zz' for cookie",
        "NOT_ALLOWED|send_flow_rem,tcp|flow syntax error at column 1: 'send_flow_rem' is not allowed when deleting flows",
        "BAD_VALUE|out_port=foo|flow syntax error at column 10: invalid value 'foo' for out_port "
            + "(expected a port number or a reserved port name)",
    })
    void deleteErrors(SyntaxError error, String text, String message) {
        assertThatThrownBy(() -> FlowSyntax.parseDelete(text)).hasMessage(message);
        SEEN.add(error);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "UNKNOWN_FIELD|group_id=1,type=all,colour=red,bucket=output:1|group syntax error at column 21: unknown field 'colour'",
        "UNKNOWN_FIELD|group_id=1,type=select,selection_method=hash,fields(ip_srcc),bucket=output:1"
            + "|group syntax error at column 53: unknown field 'ip_srcc'",
        "MISSING|type=all,bucket=output:1|group syntax error at column 25: missing 'group_id'",
        "MISSING|group_id=1,bucket=output:1|group syntax error at column 27: missing 'type'",
        "BAD_VALUE|group_id=1,type=fancy,bucket=output:1"
            + "|group syntax error at column 17: invalid value 'fancy' for type (expected all, select, indirect or ff)",
        "BAD_VALUE|group_id=1,type=select,selection_method=random,bucket=output:1"
            + "|group syntax error at column 41: invalid value 'random' for selection_method (expected hash or dp_hash)",
        "OUT_OF_RANGE|group_id=1,type=select,bucket=weight:70000,actions=output:1"
            + "|group syntax error at column 38: value '70000' out of range for weight (0..65535)",
        "OUT_OF_RANGE|group_id=4294967041,type=all|group syntax error at column 10: value '4294967041' out of range "
            + "for group_id (0..4294967040)",
        "INVALID_GROUP|group_id=1,type=indirect,bucket=output:1,bucket=output:2"
            + "|group syntax error at column 1: group 1: type=indirect needs exactly one bucket, has 2",
        "INVALID_GROUP|group_id=1,type=select,selection_method=hash,bucket=output:1"
            + "|group syntax error at column 1: group 1: fields() go with selection_method=hash, which needs at least one",
        "CONFLICT|group_id=1,type=all,type=select|group syntax error at column 21: 'type=select' conflicts with 'type=all' at column 12",
        "MISSING_VALUE|group_id=1,type=all,bucket=weight:1,actions=|group syntax error at column 21: missing value for 'actions'",
        "UNKNOWN_ACTION|group_id=1,type=all,bucket=actions=fly|group syntax error at column 36: unknown action 'fly'",
    })
    void groupErrors(SyntaxError error, String text, String message) {
        assertThatThrownBy(() -> GroupSyntax.parse(text))
                .isInstanceOfSatisfying(SyntaxException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
        SEEN.add(error);
    }

    @AfterAll
    static void everyClassIsTested() {
        assertThat(SEEN).as("error classes with a test").isEqualTo(EnumSet.allOf(SyntaxError.class));
    }
}
