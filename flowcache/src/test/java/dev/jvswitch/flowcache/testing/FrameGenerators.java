package dev.jvswitch.flowcache.testing;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.jvswitch.flowcache.key.FlowKey;
import dev.jvswitch.testkit.frame.FrameBuilder;
import dev.jvswitch.testkit.frame.Frames;
import dev.jvswitch.testkit.frame.ReferenceFrames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of valid frames of every kind the parser knows, and of damaged versions of
 * them, so that random inputs reach every header parser rather than dying at the Ethernet type.
 */
public final class FrameGenerators {
    /** Number of frame kinds {@link #valid(int, int, int, int, long)} builds. */
    public static final int KINDS = 16;

    private static final List<byte[]> REFERENCE = referenceFrames();

    private FrameGenerators() {
    }

    /** Valid frames of every kind, with random ports, VLANs, sizes and extension headers. */
    public static Arbitrary<byte[]> validFrames() {
        return Combinators.combine(
                Arbitraries.integers().between(0, KINDS - 1),
                Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(0, 300),
                Arbitraries.longs())
                .as(FrameGenerators::valid);
    }

    /** Valid frames with up to 8 bytes changed, and sometimes cut short or extended. */
    public static Arbitrary<byte[]> mutatedFrames() {
        return Combinators.combine(validFrames(), Arbitraries.longs(), Arbitraries.integers().between(0, 8))
                .as(FrameGenerators::mutate);
    }

    public static byte[] valid(int kind, int srcPort, int dstPort, int payloadBytes, long seed) {
        Random r = new Random(seed);
        byte[] payload = new byte[payloadBytes];
        r.nextBytes(payload);
        FrameBuilder b;
        switch (kind) {
            case 0:
                b = Frames.udp4().ports(srcPort, dstPort);
                break;
            case 1:
                byte[] opts = new byte[4 * r.nextInt(11)];
                Arrays.fill(opts, (byte) 1);
                b = Frames.tcp4().ports(srcPort, dstPort).tcpFlags(r.nextInt(0x1000)).tcpOptions(opts);
                break;
            case 2:
                b = Frames.sctp4().ports(srcPort, dstPort);
                break;
            case 3:
                b = Frames.icmp4().icmp(r.nextInt(256), r.nextInt(256));
                break;
            case 4:
                byte[] ipOpts = new byte[4 * r.nextInt(11)];
                Arrays.fill(ipOpts, (byte) 1);
                b = Frames.udp4().ipOptions(ipOpts).ports(srcPort, dstPort);
                break;
            case 5:
                b = Frames.udp4().ipId(r.nextInt()).fragment(8 * r.nextInt(3), r.nextBoolean()).ports(srcPort, dstPort);
                break;
            case 6:
                b = Frames.udp6().flowLabel(r.nextInt(1 << 20)).ports(srcPort, dstPort);
                addExtensionHeaders(b, r);
                break;
            case 7:
                b = Frames.tcp6().ports(srcPort, dstPort).tcpFlags(r.nextInt(0x1000));
                addExtensionHeaders(b, r);
                break;
            case 8:
                b = Frames.icmp6().icmp(r.nextInt(256), r.nextInt(2));
                break;
            case 9:
                b = Frames.ndSolicit().ndTarget("2001:db8::" + Integer.toHexString(srcPort)).sll("00:00:5e:00:53:01");
                if (r.nextBoolean()) {
                    b.tll("00:00:5e:00:53:02");
                }
                payload = new byte[0];
                break;
            case 10:
                b = Frames.ndAdvert().ndTarget("2001:db8::" + Integer.toHexString(dstPort)).tll("00:00:5e:00:53:02");
                payload = new byte[0];
                break;
            case 11:
                b = Frames.arp().arpOp(r.nextInt(3) + 1);
                payload = new byte[0];
                break;
            case 12:
                b = Frames.udp4().qinq(srcPort & 0xfff, dstPort & 0xfff).ports(srcPort, dstPort);
                break;
            case 13:
                byte[] inner = valid(r.nextInt(12), dstPort, srcPort, payloadBytes / 4, r.nextLong());
                b = Frames.udp4().ports(srcPort, 0).vxlan(dstPort & 0xffffff, inner);
                payload = null;
                break;
            case 14:
                return REFERENCE.get(r.nextInt(REFERENCE.size())).clone();
            default:
                b = Frames.ethernet(r.nextInt(0x10000));
                break;
        }
        if (r.nextInt(4) == 0) {
            b.vlan(r.nextInt(4096), r.nextInt(8));
        }
        if (payload != null) {
            b.payload(payload);
        }
        return b.build();
    }

    private static void addExtensionHeaders(FrameBuilder b, Random r) {
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0:
                    b.hopByHop();
                    break;
                case 1:
                    b.destOpts(8 * (1 + r.nextInt(3)));
                    break;
                case 2:
                    b.routing();
                    break;
                default:
                    b.fragment(8 * r.nextInt(2), r.nextBoolean());
                    break;
            }
        }
    }

    /** Changes {@code changes} bytes (mostly in the headers) and sometimes the length. */
    public static byte[] mutate(byte[] frame, long seed, int changes) {
        Random r = new Random(seed);
        byte[] f = frame;
        int roll = r.nextInt(6);
        if (roll < 2 && f.length > 0) {
            f = Arrays.copyOf(f, r.nextInt(f.length + 1));
        } else if (roll == 2) {
            int longer = Math.min(ParseHarness.DATA_ROOM, f.length + r.nextInt(64));
            byte[] g = Arrays.copyOf(f, longer);
            for (int i = f.length; i < longer; i++) {
                g[i] = (byte) r.nextInt();
            }
            f = g;
        } else {
            f = f.clone();
        }
        for (int i = 0; i < changes && f.length > 0; i++) {
            int at = r.nextInt(4) == 0 ? r.nextInt(f.length) : r.nextInt(Math.min(f.length, 96));
            int[] interesting = {0, 0xff, 0x80, 0x7f, 0x01, 0x05, 0x06, 0x11, 0x2c, 0x3a, 0x86, 0xdd, 0x08, 0x81};
            f[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : interesting[r.nextInt(interesting.length)]);
        }
        return f.length > ParseHarness.DATA_ROOM ? Arrays.copyOf(f, ParseHarness.DATA_ROOM) : f;
    }

    /** Every frame in {@link ReferenceFrames}. */
    public static List<byte[]> referenceFrames() {
        List<byte[]> out = new ArrayList<>();
        for (Field field : ReferenceFrames.class.getFields()) {
            try {
                out.add(Frames.fromHex((String) field.get(null)));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** Whether {@code ethType} is one a truncated header may leave in place of the real type. */
    public static boolean isStandInEthType(long ethType) {
        return ethType == FlowKey.ETH_TYPE_VLAN_8021Q || ethType == FlowKey.ETH_TYPE_VLAN_8021AD
                || ethType == FlowKey.ETH_TYPE_NONE;
    }
}
