package dev.jvswitch.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.jvswitch.ofproto.tnl.TlvMaps;

/**
 * {@code ofctl/add-tlv-map} and {@code ofctl/del-tlv-map} over the control socket refuse what the
 * OpenFlow channel and a config reload refuse (one check, {@code TlvUse.change}): deleting a
 * mapping a flow uses, and a mapping that would move the bytes of a longer option in use.
 */
class TlvMapCommandTest {
    private static final String YAML = """
            datapath:
              pmd-idle: backoff
            mempool:
              mbufs: 512
            bridges:
              br0:
                tlv-map:
                  - "{class=0x102,type=0x80,len=4}->tun_metadata0"
                  - "{class=0xffff,type=2,len=8}->tun_metadata2"
                flows:
                  - priority=10,tun_metadata0=0x10002,actions=output:1
                  - priority=11,tun_metadata2=0x1122334455667788,actions=output:1
                ports:
                  a: {type: null, ofport: 1}
            control:
              socket: ctl.sock
            """;

    @TempDir
    Path dir;
    private TestSwitch ts;
    private ControlAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        ts = TestSwitch.start(dir, YAML, true);
        CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        agent = ts.agent(clock);
    }

    @AfterEach
    void tearDown() {
        ts.close();
    }

    private Ctl ctl(String... args) throws Exception {
        return ts.ctl(agent, args);
    }

    private TlvMaps maps() {
        return ts.sw.ofproto().ofprotoForChannel().tunnels().tlvMaps();
    }

    @Test
    void mappingsInUseCannotBeDeletedOrMoved() throws Exception {
        Ctl del = ctl("ofctl/del-tlv-map", "br0", "{class=0x102,type=0x80,len=4}->tun_metadata0");
        assertThat(del.exit()).isNotZero();
        assertThat(del.err()).contains("ofctl/del-tlv-map: tun_metadata0 is used by a flow of table 0");
        assertThat(ctl("ofctl/del-tlv-map", "br0").err()).contains("is used by a flow of table 0");
        int[] slots = maps().get("br0").slotsOf(2);
        Ctl add = ctl("ofctl/add-tlv-map", "br0", "{class=0xffff,type=3,len=4}->tun_metadata" + slots[0]);
        assertThat(add.exit()).isNotZero();
        assertThat(add.err()).contains("ofctl/add-tlv-map: tun_metadata2 is used by a flow of table 0 and the new"
                + " mapping would move its bytes");
        assertThat(maps().get("br0").size()).isEqualTo(2);
        assertThat(maps().get("br0").slotsOf(2)).containsExactly(slots);
        assertThat(ctl("ofctl/add-tlv-map", "br0", "{class=0xffff,type=4,len=4}->tun_metadata5").exit()).isZero();
    }
}
