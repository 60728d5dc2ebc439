package dev.jvswitch.flowcache.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DpCtTest {
    @ParameterizedTest
    @ValueSource(strings = {"ct,recirc(0x1)", "ct(zone=1),recirc(0x2)", "ct(commit,zone=1,mark=0x5/0xffffffff),2",
        "ct(commit,zone=1,mark=0x5/0xffffffff,label=0x1),2", "ct(force_commit,label=0x10000000000000001/0x10000000000000003),2",
        "ct(commit),ct_clear,1", "ct(commit,mark=0/0x1)", "ct(nat),recirc(0x1)", "ct(zone=1,nat),recirc(0x3)",
        "ct(commit,nat(src=10.0.0.240-10.0.0.255:32768-65535,random)),2", "ct(commit,zone=2,nat(dst=192.0.2.5:8080)),1",
        "ct(commit,nat(src=10.1.1.1)),2", "ct(commit,label=0x1,nat(src=10.1.1.1,persistent,hash)),2",
        "ct(commit,helper=ftp),2", "ct(commit,zone=3,helper=tftp,timeout=2),1",
        "ct(commit,zone=1,mark=0x1/0x1,helper=ftp,timeout=7,nat(src=10.1.1.240)),2",
        "ct(commit,nat(dst=[fd00::1]-[fd00::4]:80)),2", "ct(commit,nat(src=fd00::1-fd00::2)),2", "ct(commit,nat(src)),2"})
    void printsAsOvsAndParsesBack(String text) {
        DpActions p = DpActions.parse(text);
        assertThat(p.toString()).isEqualTo(text);
        assertThat(DpActions.parse(p.toString())).isEqualTo(p);
    }

    @Test
    void operandsReachTheExecutorAccessors() {
        DpActions p = DpActions.builder().ct(7, DpCt.COMMIT, 0x12, 0xff, 0, 0x1, 0, 0x3).output(2).build();
        assertThat(p.op(0)).isEqualTo(DpActions.OP_CT);
        assertThat(DpCt.zone(p, 0)).isEqualTo(7);
        assertThat(DpCt.flags(p, 0)).isEqualTo(DpCt.COMMIT);
        assertThat(DpCt.mark(p, 0)).isEqualTo(0x12);
        assertThat(DpCt.markMask(p, 0)).isEqualTo(0xff);
        assertThat(DpCt.labelWord(p, 0, 1)).isEqualTo(1);
        assertThat(DpCt.labelWord(p, 0, 3)).isEqualTo(3);
        assertThat(p.toString()).isEqualTo("ct(commit,zone=7,mark=0x12/0xff,label=0x1/0x3),2");
    }

    @Test
    void natOperandsReachTheExecutorAccessors() {
        DpActions p = DpActions.parse("ct(commit,nat(src=10.0.0.240-10.0.0.255:32768-65535,random)),2");
        assertThat(DpCt.hasNat(p, 0)).isTrue();
        assertThat(DpCt.natFlags(p, 0)).isEqualTo(DpCt.Nat.SRC | DpCt.Nat.RANDOM);
        assertThat(DpCt.natAddrWord(p, 0, 1)).isEqualTo(0x0a0000f0L);
        assertThat(DpCt.natAddrWord(p, 0, 3)).isEqualTo(0x0a0000ffL);
        assertThat(DpCt.natMinPort(p, 0)).isEqualTo(32768);
        assertThat(DpCt.natMaxPort(p, 0)).isEqualTo(65535);
        assertThat(DpCt.labelWord(p, 0, 3)).isZero();
        assertThat(DpCt.hasNat(DpActions.parse("ct(commit),2"), 0)).isFalse();
        assertThatThrownBy(() -> DpActions.parse("ct(nat(src=10.0.0.2-10.0.0.1))")).hasMessageContaining("max below min");
        assertThatThrownBy(() -> DpActions.parse("ct(nat(src,dst))")).hasMessageContaining("only one of src or dst");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> DpActions.parse("ct(zone=70000)")).hasMessageContaining("ct zone");
        assertThatThrownBy(() -> DpActions.parse("ct(bogus)")).hasMessageContaining("unknown argument 'bogus'");
    }
}
