package dev.jvswitch.ofproto.xlate;

import java.util.List;

import dev.jvswitch.flowcache.key.FlowField;
import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.ofproto.action.HashFields;
import dev.jvswitch.ofproto.action.OfAction;
import dev.jvswitch.ofproto.bridge.OfPort;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * {@code multipath} and {@code bundle}/{@code bundle_load} with OVS's hashes and algorithms
 * ({@code flow_hash_fields}, {@code multipath_algorithm}, {@code bundle_execute}), so a flow
 * takes the same link or member on OVS and on jvswitch. The fields hashed go into the megaflow
 * mask as OVS's {@code flow_mask_hash_fields} puts them.
 */
final class MultipathXlate {
    private MultipathXlate() {
    }

    static void multipath(XlateContext c, OfAction.Multipath m) {
        int hash = flowHash(c.flow, m.fields(), m.basis());
        int link = algorithm(hash, m.algorithm(), m.nLinks(), m.arg());
        maskFields(c, m.fields());
        FieldWrite.writeBits(c, m.dst(), 0, m.dst().nBits(), link & 0xffffL);
    }

    /** {@code bundle}: an output to the member chosen; {@code bundle_load}: its number into dst. */
    static void bundle(XlateContext c, OfAction.Bundle b) {
        List<Integer> members = b.members();
        int chosen = OfPorts.NONE;
        if (!b.hrw()) {
            for (int i = 0; i < members.size(); i++) {
                int port = members.get(i);
                if (enabled(c, port)) {
                    chosen = port;
                    break;
                }
            }
        } else {
            if (members.size() > 1) {
                maskFields(c, b.fields());
            }
            int flowHash = flowHash(c.flow, b.fields(), b.basis());
            long best = -1;
            for (int i = 0; i < members.size(); i++) {
                if (enabled(c, members.get(i))) {
                    long h = hash2(i, flowHash) & 0xffff_ffffL;
                    if (best < 0 || h > best) {
                        best = h;
                        chosen = members.get(i);
                    }
                }
            }
        }
        if (b.dst() != null) {
            FieldWrite.writeBits(c, b.dst(), 0, b.dst().nBits(), chosen & 0xffffL);
        } else if (chosen != OfPorts.NONE) {
            OutputXlate.output(c, chosen);
        } else {
            c.report(TraceNode.Kind.DETAIL, "no live bundle member");
        }
    }

    private static boolean enabled(XlateContext c, int port) {
        OfPort p = c.bridge.config().byOfPort(port);
        return p != null && (p.isPatch() ? c.snapshot.patchPeer(p) != null : c.liveness.isLive(p));
    }

    // ------------------------------------------------------------------ OVS's algorithms

    static int algorithm(int hash, OfAction.Multipath.Algorithm a, int nLinks, long arg) {
        long h = hash & 0xffff_ffffL;
        switch (a) {
            case MODULO_N:
                return (int) (h % nLinks);
            case HASH_THRESHOLD:
                return nLinks == 1 ? 0 : (int) (h / (0xffff_ffffL / nLinks + 1));
            case HRW:
                return nLinks <= 64 ? hrw(hash, nLinks) : iterHash(hash, nLinks, 0);
            default:
                return iterHash(hash, nLinks, arg);
        }
    }

    private static int hrw(int hash, int nLinks) {
        int best = 0;
        long bestWeight = hash2(hash, 0) & 0xffff_ffffL;
        for (int link = 1; link < nLinks; link++) {
            long w = hash2(hash, link) & 0xffff_ffffL;
            if (w > bestWeight) {
                best = link;
                bestWeight = w;
            }
        }
        return best;
    }

    private static int iterHash(int hash, int nLinks, long modulo) {
        if (modulo < nLinks || modulo / 2 > nLinks) {
            modulo = Integer.highestOneBit(nLinks - 1) << 1;
            if (nLinks == 1) {
                modulo = 1;
            }
        }
        int i = 0;
        long link;
        do {
            link = (hash2(hash, i++) & 0xffff_ffffL) % modulo;
        } while (link >= nLinks);
        return (int) link;
    }

    /** OVS's {@code hash_2words(x, y)}. */
    static int hash2(int x, int y) {
        return OvsSelectHash.finish(OvsSelectHash.add(OvsSelectHash.add(x, 0), y), 8);
    }

    // ------------------------------------------------------------------ OVS's flow_hash_fields

    static int flowHash(FlowKey f, HashFields fields, int basis) {
        int ethType = f.ethType();
        switch (fields) {
            case ETH_SRC:
                return jhashBe(f.get(FlowField.ETH_SRC), 6, basis);
            case SYMMETRIC_L4:
                return symmetricL4(f, basis);
            case SYMMETRIC_L3L4:
                return symmetricL3l4(f, basis, false);
            case SYMMETRIC_L3L4_UDP:
                return symmetricL3l4(f, basis, true);
            case NW_SRC:
                return ethType == FlowKey.ETH_TYPE_IPV4 ? jhashBe(f.get(FlowField.NW_SRC), 4, basis)
                        : ethType == FlowKey.ETH_TYPE_IPV6 ? jhash128(f, FlowField.IPV6_SRC, basis) : basis;
            default:
                return ethType == FlowKey.ETH_TYPE_IPV4 ? jhashBe(f.get(FlowField.NW_DST), 4, basis)
                        : ethType == FlowKey.ETH_TYPE_IPV6 ? jhash128(f, FlowField.IPV6_DST, basis) : basis;
        }
    }

    /** OVS's {@code flow_mask_hash_fields}. */
    static void maskFields(XlateContext c, HashFields fields) {
        FlowKey f = c.flow;
        boolean v4 = f.isIpv4();
        boolean v6 = f.isIpv6();
        int proto = f.nwProto();
        switch (fields) {
            case ETH_SRC:
                c.wc.exact(FlowField.ETH_SRC);
                break;
            case SYMMETRIC_L4:
                c.wc.exact(FlowField.ETH_SRC);
                c.wc.exact(FlowField.ETH_DST);
                if (v4) {
                    c.wc.exact(FlowField.NW_SRC);
                    c.wc.exact(FlowField.NW_DST);
                } else if (v6) {
                    c.wc.exact(FlowField.IPV6_SRC);
                    c.wc.exact(FlowField.IPV6_DST);
                }
                if (v4 || v6) {
                    c.wc.exact(FlowField.NW_PROTO);
                    // UDP ports are not hashed, so they stay out (OVS 2.13 on).
                    if (proto != FlowKey.IPPROTO_UDP) {
                        c.wc.exact(FlowField.TP_SRC);
                        c.wc.exact(FlowField.TP_DST);
                    }
                }
                c.wc.bits(FlowField.VLAN_TCI, c.wc.get(FlowField.VLAN_TCI) | FlowKey.VLAN_VID_MASK | FlowKey.VLAN_CFI);
                c.wc.bits(FlowField.VLAN_TCI1, c.wc.get(FlowField.VLAN_TCI1) | FlowKey.VLAN_VID_MASK | FlowKey.VLAN_CFI);
                break;
            case SYMMETRIC_L3L4_UDP:
            case SYMMETRIC_L3L4:
                if (fields == HashFields.SYMMETRIC_L3L4_UDP && (v4 || v6) && proto == FlowKey.IPPROTO_UDP) {
                    c.wc.exact(FlowField.TP_SRC);
                    c.wc.exact(FlowField.TP_DST);
                }
                if (v4) {
                    c.wc.exact(FlowField.NW_SRC);
                    c.wc.exact(FlowField.NW_DST);
                } else if (v6) {
                    c.wc.exact(FlowField.IPV6_SRC);
                    c.wc.exact(FlowField.IPV6_DST);
                } else {
                    break;
                }
                c.wc.exact(FlowField.NW_PROTO);
                if (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_SCTP) {
                    c.wc.exact(FlowField.TP_SRC);
                    c.wc.exact(FlowField.TP_DST);
                }
                break;
            case NW_SRC:
                if (v4) {
                    c.wc.exact(FlowField.NW_SRC);
                } else if (v6) {
                    c.wc.exact(FlowField.IPV6_SRC);
                }
                break;
            default:
                if (v4) {
                    c.wc.exact(FlowField.NW_DST);
                } else if (v6) {
                    c.wc.exact(FlowField.IPV6_DST);
                }
        }
    }

    /** OVS's {@code flow_hash_symmetric_l4}: jhash of a 32-byte struct of XORed fields. */
    private static int symmetricL4(FlowKey f, int basis) {
        byte[] s = new byte[32];
        int ethType = f.ethType();
        long dl = f.get(FlowField.ETH_SRC) ^ f.get(FlowField.ETH_DST);
        putBe(s, 22, dl, 6);
        long vlan = (f.get(FlowField.VLAN_TCI) ^ f.get(FlowField.VLAN_TCI1)) & FlowKey.VLAN_VID_MASK;
        putBe(s, 18, vlan, 2);
        putBe(s, 16, ethType, 2);
        int proto = 0;
        if (ethType == FlowKey.ETH_TYPE_IPV4) {
            putBe(s, 0, f.get(FlowField.NW_SRC) ^ f.get(FlowField.NW_DST), 4);
            proto = f.nwProto();
        } else if (ethType == FlowKey.ETH_TYPE_IPV6) {
            putBe(s, 0, f.getHigh(FlowField.IPV6_SRC) ^ f.getHigh(FlowField.IPV6_DST), 8);
            putBe(s, 8, f.getLow(FlowField.IPV6_SRC) ^ f.getLow(FlowField.IPV6_DST), 8);
            proto = f.nwProto();
        }
        if (ethType == FlowKey.ETH_TYPE_IPV4 || ethType == FlowKey.ETH_TYPE_IPV6) {
            s[28] = (byte) proto;
            if (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_SCTP) {
                putBe(s, 20, f.get(FlowField.TP_SRC) ^ f.get(FlowField.TP_DST), 2);
            }
        }
        return jhash(s, s.length, basis);
    }

    /** OVS's {@code flow_hash_symmetric_l3l4}. */
    private static int symmetricL3l4(FlowKey f, int basis, boolean udp) {
        int h = basis;
        if (f.isIpv4()) {
            h = OvsSelectHash.add(h, le32((int) (f.get(FlowField.NW_SRC) ^ f.get(FlowField.NW_DST))));
        } else if (f.isIpv6()) {
            h = OvsSelectHash.add64(h, Long.reverseBytes(f.getHigh(FlowField.IPV6_SRC) ^ f.getHigh(FlowField.IPV6_DST)));
            h = OvsSelectHash.add64(h, Long.reverseBytes(f.getLow(FlowField.IPV6_SRC) ^ f.getLow(FlowField.IPV6_DST)));
        } else {
            return 0;
        }
        int proto = f.nwProto();
        h = OvsSelectHash.add(h, proto);
        if (proto == FlowKey.IPPROTO_TCP || proto == FlowKey.IPPROTO_SCTP || (udp && proto == FlowKey.IPPROTO_UDP)) {
            int ports = (int) (f.get(FlowField.TP_SRC) ^ f.get(FlowField.TP_DST));
            h = OvsSelectHash.add(h, Short.reverseBytes((short) ports) & 0xffff);
        }
        return OvsSelectHash.finish(h, basis);
    }

    /** A big-endian (network order) 32-bit value as a little-endian machine reads it. */
    private static int le32(int be) {
        return Integer.reverseBytes(be);
    }

    private static void putBe(byte[] s, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            s[at + i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
    }

    private static int jhashBe(long v, int n, int basis) {
        byte[] s = new byte[n];
        putBe(s, 0, v, n);
        return jhash(s, n, basis);
    }

    private static int jhash128(FlowKey f, FlowField field, int basis) {
        byte[] s = new byte[16];
        putBe(s, 0, f.getHigh(field), 8);
        putBe(s, 8, f.getLow(field), 8);
        return jhash(s, 16, basis);
    }

    /** OVS's {@code jhash_bytes} (Bob Jenkins' lookup3, little-endian words). */
    static int jhash(byte[] p, int n, int basis) {
        int a = 0xdeadbeef + n + basis;
        int b = a;
        int c = a;
        int at = 0;
        int left = n;
        while (left >= 12) {
            a += word(p, at, n);
            b += word(p, at + 4, n);
            c += word(p, at + 8, n);
            // mix
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            left -= 12;
            at += 12;
        }
        if (left > 0) {
            a += word(p, at, n);
            b += word(p, at + 4, n);
            c += word(p, at + 8, n);
            // final
            c ^= b; c -= Integer.rotateLeft(b, 14);
            a ^= c; a -= Integer.rotateLeft(c, 11);
            b ^= a; b -= Integer.rotateLeft(a, 25);
            c ^= b; c -= Integer.rotateLeft(b, 16);
            a ^= c; a -= Integer.rotateLeft(c, 4);
            b ^= a; b -= Integer.rotateLeft(a, 14);
            c ^= b; c -= Integer.rotateLeft(b, 24);
        }
        return c;
    }

    /** Little-endian word at {@code at}, bytes past {@code n} read as zero. */
    private static int word(byte[] p, int at, int n) {
        int w = 0;
        for (int i = 0; i < 4; i++) {
            if (at + i < n) {
                w |= (p[at + i] & 0xff) << (8 * i);
            }
        }
        return w;
    }
}
