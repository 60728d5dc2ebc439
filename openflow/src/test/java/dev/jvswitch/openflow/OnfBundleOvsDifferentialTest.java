package dev.jvswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * OpenFlow 1.3 bundles (the ONF extension: {@code ONFT_BUNDLE_CONTROL} 2300 and
 * {@code ONFT_BUNDLE_ADD_MESSAGE} 2301 experimenter messages, what {@code ovs-ofctl -O OpenFlow13
 * --bundle} sends) answered as OVS answers them: {@link BundleErrorsOvsDifferentialTest}'s steps,
 * each message rewritten into its 1.3 form, go to OVS and to the channel, and the replies and
 * errors (bundle errors travel as ONF experimenter errors on 1.3) must be the same.
 * {@code OvsOfctlTest} has the real {@code ovs-ofctl} commit 1.3 bundles.
 */
class OnfBundleOvsDifferentialTest extends OfDifferential {
    private static final OFFactory OF14 = OFFactories.getFactory(OFVersion.OF_14);
    private static final int ONF_VENDOR = 0x4f4e4600;

    /** {@code m}, an OpenFlow 1.4 message, as OpenFlow 1.3 carries it. */
    static byte[] toOf13(OFMessage m) {
        ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        byte[] of14 = ByteBufUtil.getBytes(b);
        int type = of14[1] & 0xff;
        if (type != 33 && type != 34) {
            of14[0] = 4;
            return of14;
        }
        if (type == 34) {
            of14[16] = 4; // the bundled message is a 1.3 one: the flow mods' layouts are the same
        }
        ByteBuf onf = Unpooled.buffer(of14.length + 8);
        onf.writeByte(4).writeByte(4).writeShort(of14.length + 8).writeBytes(of14, 4, 4);
        onf.writeInt(ONF_VENDOR).writeInt(type == 33 ? 2300 : 2301).writeBytes(of14, 8, of14.length - 8);
        return ByteBufUtil.getBytes(onf);
    }

    /** A message that writes {@code bytes} as they are (all the test client asks of a message). */
    static OFMessage raw(byte[] bytes) {
        return (OFMessage) Proxy.newProxyInstance(OFMessage.class.getClassLoader(), new Class<?>[] {OFMessage.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "writeTo" -> {
                        ((ByteBuf) args[0]).writeBytes(bytes);
                        yield null;
                    }
                    case "toString" -> ByteBufUtil.hexDump(bytes);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void onfBundlesAreAnsweredAsOvsAnswersThem() throws Exception {
        List<Step> steps = new ArrayList<>();
        for (Step s : BundleErrorsOvsDifferentialTest.steps()) {
            steps.add(f -> s.apply(OF14).stream().map(m -> raw(toOf13(m))).toList());
        }
        assertSameAsOvs(OFVersion.OF_13, steps);
        long ovsCount = OVS.oracle().ofctl("dump-flows", "br0").lines().filter(l -> l.contains("priority=100"))
                .count();
        assertThat(ovsCount).as("OVS kept the committed bundle's flows").isEqualTo(2);
        assertThat(ch.backend.ofproto.flowStats("br0")).as("the flows the bundles left, as on OVS")
                .hasSize((int) ovsCount);
    }
}
