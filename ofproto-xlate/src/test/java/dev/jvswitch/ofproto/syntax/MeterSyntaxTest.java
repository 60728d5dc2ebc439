package dev.jvswitch.ofproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.meter.Meter;
import dev.jvswitch.ofproto.meter.MeterBand;
import dev.jvswitch.ofproto.meter.MeterStats;
import dev.jvswitch.ofproto.mod.MeterMod;

/** ovs-ofctl's meter strings (parse_ofp_meter_mod_str) and dump-meters / meter-stats text. */
class MeterSyntaxTest {
    @Test
    void parsesWhatOvsOfctlTakes() {
        MeterMod mm = MeterSyntax.parseAdd("meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5");
        assertThat(mm.command()).isEqualTo(MeterMod.Command.ADD);
        assertThat(mm.meter()).isEqualTo(new Meter(1, Meter.PKTPS | Meter.BURST | Meter.STATS,
                java.util.List.of(MeterBand.drop(10, 5))));
        Meter two = MeterSyntax.parseModify("meter=2 kbps bands=type=drop rate=1000 type=drop rate=2000").meter();
        assertThat(two.bands()).extracting(MeterBand::rate).containsExactly(1000L, 2000L);
        assertThat(MeterSyntax.parseAdd("meter=controller,pktps,bands=type=drop,rate=10").meterId())
                .isEqualTo(Meter.CONTROLLER);
        assertThat(MeterSyntax.parseDelete("").meterId()).isEqualTo(Meter.ALL);
        assertThat(MeterSyntax.parseDelete("meter=all").meterId()).isEqualTo(Meter.ALL);
        assertThat(MeterSyntax.parseDelete("meter=4").meterId()).isEqualTo(4);
    }

    @Test
    void refusesWhatOvsOfctlRefusesNamingTheColumn() {
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=1,pktps"))
                .hasMessageContaining("meter syntax error").hasMessageContaining("bands=");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=1,bands=type=drop,rate=10"))
                .hasMessageContaining("kbps");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop"))
                .hasMessageContaining("missing 'rate'");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=1,pktps,burst,bands=type=drop,rate=3"))
                .hasMessageContaining("missing 'burst_size'");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=1,pktps,bands=type=drop,rate=3,burst_size=2"))
                .hasMessageContaining("'burst_size' is not allowed without the burst flag");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=1,pktps,bands=type=police,rate=3"))
                .hasMessageContaining("column 26").hasMessageContaining("police");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("meter=0,pktps,bands=type=drop,rate=3"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> MeterSyntax.parseAdd("metre=1,pktps,bands=type=drop,rate=3"))
                .hasMessageContaining("unknown field 'metre'").hasMessageContaining("column 1");
    }

    @Test
    void printsAsOvsOfctl() {
        Meter m = MeterSyntax.parseAdd("meter=1,pktps,burst,stats,bands=type=drop,rate=10,burst_size=5").meter();
        assertThat(MeterSyntax.format(m)).isEqualTo("meter=1 pktps burst stats bands=\ntype=drop rate=10 burst_size=5");
        assertThat(MeterSyntax.format(MeterSyntax.parseAdd("meter=controller,kbps,bands=type=drop,rate=1").meter()))
                .isEqualTo("meter=controller kbps bands=\ntype=drop rate=1");
        assertThat(MeterSyntax.formatStats(new MeterStats(1, 1, 10, 600, 1_500_000_000L, new long[] {5},
                new long[] {300}))).isEqualTo("meter:1 flow_count:1 packet_in_count:10 byte_in_count:600"
                        + " duration:1.5s bands:\n0: packet_count:5 byte_count:300");
        assertThat(MeterSyntax.formatStats(new MeterStats(2, 0, 0, 0, 3_000_000_000L, new long[] {0}, new long[] {0})))
                .startsWith("meter:2 flow_count:0 packet_in_count:0 byte_in_count:0 duration:3s bands:");
    }
}
