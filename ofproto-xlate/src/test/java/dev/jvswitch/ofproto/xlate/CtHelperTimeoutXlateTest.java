package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jvswitch.testkit.frame.Frames;

/**
 * What a {@code ct} with a helper, and a committing {@code ct} in a zone with a timeout policy,
 * become in the datapath: {@code alg=ftp} is {@code helper=ftp}, and the zone's policy id is
 * {@code timeout=N} on commit only (OVS's {@code put_ct_helper} and {@code put_ct_timeout} for the
 * userspace datapath); a policy change republishes, so translations after it name the new id.
 */
class CtHelperTimeoutXlateTest {
    @Test
    void helperAndZonePolicyPrintAsOvsDoes() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 2, 0)) {
            long[] policy = {-1};
            sw.ofproto.ctTimeoutPolicies(zone -> zone == 5 ? policy[0] : -1);
            sw.flows("br0", "priority=10,in_port=1,tcp,actions=ct(commit,zone=5,alg=ftp),output:2",
                    "priority=10,in_port=1,udp,actions=ct(zone=5,alg=tftp),output:2",
                    "priority=10,in_port=2,udp,actions=ct(commit,zone=6),output:1");
            byte[] tcp = Frames.tcp4().ip("10.0.0.1", "10.0.0.2").ports(40000, 21).build();
            byte[] udp = Frames.udp4().ip("10.0.0.1", "10.0.0.2").ports(40000, 69).build();
            byte[] other = Frames.udp4().ip("10.0.0.2", "10.0.0.1").ports(69, 40000).build();
            assertThat(sw.actions(tcp, 1)).isEqualTo("ct(commit,zone=5,helper=ftp),2");

            policy[0] = 1;
            sw.ofproto.onCtTimeoutPoliciesChanged();
            assertThat(sw.actions(tcp, 1)).isEqualTo("ct(commit,zone=5,helper=ftp,timeout=1),2");
            assertThat(sw.actions(udp, 1)).as("no timeout without commit").isEqualTo("ct(zone=5,helper=tftp),2");
            assertThat(sw.actions(other, 2)).as("zone 6 has no policy").isEqualTo("ct(commit,zone=6),1");
        }
    }
}
