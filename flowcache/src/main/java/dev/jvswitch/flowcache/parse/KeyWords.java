package dev.jvswitch.flowcache.parse;

import dev.jvswitch.flowcache.key.FlowField;

/**
 * The word index and shift of every field the parser writes, copied out of {@link FlowField} into
 * static finals so that the JIT folds them into constants. The table stays the one source: change
 * a field there and these follow.
 *
 * <p>The parser starts from a cleared key and ORs each value into place, so it never depends on
 * which fields share a word.
 */
final class KeyWords {
    static final int W_IN_PORT = FlowField.IN_PORT.word();
    static final int S_IN_PORT = FlowField.IN_PORT.shift();
    static final int W_RECIRC_ID = FlowField.RECIRC_ID.word();
    static final int S_RECIRC_ID = FlowField.RECIRC_ID.shift();
    static final int W_DP_HASH = FlowField.DP_HASH.word();
    static final int S_DP_HASH = FlowField.DP_HASH.shift();
    static final int W_SKB_MARK = FlowField.SKB_MARK.word();
    static final int S_SKB_MARK = FlowField.SKB_MARK.shift();

    static final int W_TUN_ID = FlowField.TUN_ID.word();
    static final int W_TUN_SRC = FlowField.TUN_SRC.word();
    static final int S_TUN_SRC = FlowField.TUN_SRC.shift();
    static final int W_TUN_DST = FlowField.TUN_DST.word();
    static final int S_TUN_DST = FlowField.TUN_DST.shift();
    static final int W_TUN_TP_SRC = FlowField.TUN_TP_SRC.word();
    static final int S_TUN_TP_SRC = FlowField.TUN_TP_SRC.shift();
    static final int W_TUN_TP_DST = FlowField.TUN_TP_DST.word();
    static final int S_TUN_TP_DST = FlowField.TUN_TP_DST.shift();
    static final int W_TUN_FLAGS = FlowField.TUN_FLAGS.word();
    static final int S_TUN_FLAGS = FlowField.TUN_FLAGS.shift();
    static final int W_TUN_TOS = FlowField.TUN_TOS.word();
    static final int S_TUN_TOS = FlowField.TUN_TOS.shift();
    static final int W_TUN_TTL = FlowField.TUN_TTL.word();
    static final int W_TUN_MD_LEN = FlowField.TUN_METADATA_LEN.word();
    static final int S_TUN_TTL = FlowField.TUN_TTL.shift();
    static final int S_TUN_MD_LEN = FlowField.TUN_METADATA_LEN.shift();
    static final int W_TUN_IPV6_SRC = FlowField.TUN_IPV6_SRC.word();
    static final int W_TUN_IPV6_DST = FlowField.TUN_IPV6_DST.word();

    static final int W_CT_STATE = FlowField.CT_STATE.word();
    static final int S_CT_STATE = FlowField.CT_STATE.shift();
    static final int S_CT_NW_PROTO = FlowField.CT_NW_PROTO.shift();
    static final int S_CT_ZONE = FlowField.CT_ZONE.shift();
    static final int S_CT_MARK = FlowField.CT_MARK.shift();
    static final int W_CT_LABEL = FlowField.CT_LABEL.word();
    static final int W_CT_NW = FlowField.CT_NW_SRC.word();
    static final int S_CT_NW_SRC = FlowField.CT_NW_SRC.shift();
    static final int S_CT_NW_DST = FlowField.CT_NW_DST.shift();
    static final int W_CT_TP = FlowField.CT_TP_SRC.word();
    static final int S_CT_TP_SRC = FlowField.CT_TP_SRC.shift();
    static final int S_CT_TP_DST = FlowField.CT_TP_DST.shift();
    static final int W_CT_IPV6_SRC = FlowField.CT_IPV6_SRC.word();
    static final int W_CT_IPV6_DST = FlowField.CT_IPV6_DST.word();

    static final int W_ETH_DST = FlowField.ETH_DST.word();
    static final int S_ETH_DST = FlowField.ETH_DST.shift();
    static final int W_ETH_SRC = FlowField.ETH_SRC.word();
    static final int S_ETH_SRC = FlowField.ETH_SRC.shift();
    static final int W_ETH_TYPE = FlowField.ETH_TYPE.word();
    static final int S_ETH_TYPE = FlowField.ETH_TYPE.shift();
    static final int W_VLAN_TPID = FlowField.VLAN_TPID.word();
    static final int S_VLAN_TPID = FlowField.VLAN_TPID.shift();
    static final int W_VLAN_TCI = FlowField.VLAN_TCI.word();
    static final int S_VLAN_TCI = FlowField.VLAN_TCI.shift();
    static final int W_VLAN_TPID1 = FlowField.VLAN_TPID1.word();
    static final int S_VLAN_TPID1 = FlowField.VLAN_TPID1.shift();
    static final int W_VLAN_TCI1 = FlowField.VLAN_TCI1.word();
    static final int S_VLAN_TCI1 = FlowField.VLAN_TCI1.shift();

    static final int W_NW_SRC = FlowField.NW_SRC.word();
    static final int S_NW_SRC = FlowField.NW_SRC.shift();
    static final int W_NW_DST = FlowField.NW_DST.word();
    static final int S_NW_DST = FlowField.NW_DST.shift();
    static final int W_NW_PROTO = FlowField.NW_PROTO.word();
    static final int S_NW_PROTO = FlowField.NW_PROTO.shift();
    static final int W_NW_TOS = FlowField.NW_TOS.word();
    static final int S_NW_TOS = FlowField.NW_TOS.shift();
    static final int W_NW_TTL = FlowField.NW_TTL.word();
    static final int S_NW_TTL = FlowField.NW_TTL.shift();
    static final int W_NW_FRAG = FlowField.NW_FRAG.word();
    static final int S_NW_FRAG = FlowField.NW_FRAG.shift();
    static final int W_IPV6_LABEL = FlowField.IPV6_LABEL.word();
    static final int S_IPV6_LABEL = FlowField.IPV6_LABEL.shift();
    static final int W_IPV6_SRC = FlowField.IPV6_SRC.word();
    static final int W_IPV6_DST = FlowField.IPV6_DST.word();

    static final int W_TP_SRC = FlowField.TP_SRC.word();
    static final int S_TP_SRC = FlowField.TP_SRC.shift();
    static final int W_TP_DST = FlowField.TP_DST.word();
    static final int S_TP_DST = FlowField.TP_DST.shift();
    static final int W_TCP_FLAGS = FlowField.TCP_FLAGS.word();
    static final int S_TCP_FLAGS = FlowField.TCP_FLAGS.shift();
    static final int W_ARP_SHA = FlowField.ARP_SHA.word();
    static final int S_ARP_SHA = FlowField.ARP_SHA.shift();
    static final int W_ARP_THA = FlowField.ARP_THA.word();
    static final int S_ARP_THA = FlowField.ARP_THA.shift();
    static final int W_ND_TARGET = FlowField.ND_TARGET.word();

    private KeyWords() {
    }
}
