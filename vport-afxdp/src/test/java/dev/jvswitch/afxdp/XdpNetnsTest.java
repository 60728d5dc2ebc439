package dev.jvswitch.afxdp;

import java.util.Map;

import dev.jvswitch.mempool.MbufPoolConfig;
import dev.jvswitch.pmd.netdev.NetnsPortHarness;

/**
 * Base of the tests that run the AF_XDP port against real veth pairs (see
 * {@link NetnsPortHarness}): the pool has frame slots and the rings 512 descriptors unless a test
 * says otherwise.
 */
abstract class XdpNetnsTest extends NetnsPortHarness<AfXdpNetdev> {
    @Override
    protected String portType() {
        return AfXdpProvider.TYPE;
    }

    @Override
    protected MbufPoolConfig defaultPool() {
        return MbufPoolConfig.of("afxdp-test", 8192).withFrameSlots();
    }

    @Override
    protected Class<AfXdpNetdev> portClass() {
        return AfXdpNetdev.class;
    }

    @Override
    protected void defaultOptions(Map<String, String> options) {
        options.putIfAbsent("n_rxq_desc", "512");
        options.putIfAbsent("n_txq_desc", "512");
    }

    @Override
    protected String typeStats(AfXdpNetdev port) {
        return String.valueOf(port.afXdpStats());
    }
}
