package dev.jvswitch.vswitchd.slowpath.builtin;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.flowcache.key.FlowMask;
import dev.jvswitch.pmd.port.PortOptions;

/**
 * The match of a built-in rule: OpenFlow in_port, Ethernet source, destination and type, each
 * exact or wildcarded ({@link #ANY}). Immutable.
 *
 * @param inPort OpenFlow port, or {@link #ANY}
 * @param dlSrc  48-bit source address, or {@link #ANY}
 * @param dlDst  48-bit destination address, or {@link #ANY}
 * @param dlType Ethernet type, or {@link #ANY}
 */
record BuiltinMatch(int inPort, long dlSrc, long dlDst, int dlType) {
    static final int ANY = -1;
    static final BuiltinMatch ALL = new BuiltinMatch(ANY, ANY, ANY, ANY);

    /** Whether a packet from OpenFlow port {@code ofInPort} with {@code key} matches. */
    boolean matches(int ofInPort, FlowKey key) {
        return (inPort == ANY || inPort == ofInPort)
                && (dlSrc == ANY || dlSrc == key.get(FlowField.ETH_SRC))
                && (dlDst == ANY || dlDst == key.get(FlowField.ETH_DST))
                && (dlType == ANY || dlType == key.get(FlowField.ETH_TYPE));
    }

    /** Adds the fields this match looks at to a megaflow mask (in_port is always matched). */
    void orInto(FlowMask mask) {
        if (dlSrc != ANY) {
            mask.exact(FlowField.ETH_SRC);
        }
        if (dlDst != ANY) {
            mask.exact(FlowField.ETH_DST);
        }
        if (dlType != ANY) {
            mask.exact(FlowField.ETH_TYPE);
        }
    }

    /**
     * Non-strict selection (ovs-ofctl del-flows): true if every field this match sets is set to
     * the same value in {@code rule}.
     */
    boolean selects(BuiltinMatch rule) {
        return (inPort == ANY || inPort == rule.inPort) && (dlSrc == ANY || dlSrc == rule.dlSrc)
                && (dlDst == ANY || dlDst == rule.dlDst) && (dlType == ANY || dlType == rule.dlType);
    }

    /** ovs-ofctl syntax, e.g. {@code in_port=1,dl_dst=02:00:00:00:00:01}; empty for match-all. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (dlType == 0x0800) {
            sb.append("ip");
        } else if (dlType == 0x0806) {
            sb.append("arp");
        } else if (dlType == 0x86dd) {
            sb.append("ipv6");
        }
        if (inPort != ANY) {
            sep(sb).append("in_port=").append(inPort);
        }
        if (dlSrc != ANY) {
            sep(sb).append("dl_src=").append(PortOptions.formatMac(dlSrc));
        }
        if (dlDst != ANY) {
            sep(sb).append("dl_dst=").append(PortOptions.formatMac(dlDst));
        }
        if (dlType != ANY && dlType != 0x0800 && dlType != 0x0806 && dlType != 0x86dd) {
            sep(sb).append("dl_type=0x").append(String.format("%04x", dlType));
        }
        return sb.toString();
    }

    private static StringBuilder sep(StringBuilder sb) {
        return sb.length() == 0 ? sb : sb.append(',');
    }
}
