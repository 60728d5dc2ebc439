package dev.jvswitch.afpacket;

import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetnsPortHarness;

/**
 * Base of the tests that run the AF_PACKET port against real veth pairs (see
 * {@link NetnsPortHarness}). Published in this module's test-jar for the tools built on AF_PACKET
 * ports ({@code benchmarks}' l2fwd).
 */
public abstract class NetnsPortTest extends NetnsPortHarness<AfPacketNetdev> {
    @Override
    protected String portType() {
        return AfPacketProvider.TYPE;
    }

    @Override
    protected MbufPoolConfig defaultPool() {
        return MbufPoolConfig.of("afpacket-test", 8192);
    }

    @Override
    protected Class<AfPacketNetdev> portClass() {
        return AfPacketNetdev.class;
    }

    @Override
    protected String typeStats(AfPacketNetdev port) {
        return String.valueOf(port.afPacketStats());
    }
}
