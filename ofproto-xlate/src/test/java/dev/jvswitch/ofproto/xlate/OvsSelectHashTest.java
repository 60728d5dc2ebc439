package dev.jvswitch.ofproto.xlate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.jvswitch.ofproto.Ofctl;
import dev.jvswitch.testkit.frame.Frames;

/**
 * A hash select group with equal weights picks the bucket OVS picks. The expected outputs were
 * taken from OVS 3.1's {@code ofproto/trace} (dummy datapath) for the same group and flows.
 */
class OvsSelectHashTest {
    /** nw_src, tcp_src, and the output port OVS chose (group buckets 0..3 output to 2..5). */
    private static final String[] OVS = {
        "10.0.0.1 1000 4", "10.0.0.1 2000 4", "10.0.0.1 3000 4", "10.0.0.2 1000 3", "10.0.0.2 2000 2",
        "10.0.0.2 3000 3", "10.0.0.3 1000 3", "10.0.0.3 2000 3", "10.0.0.3 3000 2", "10.0.0.4 1000 3",
        "10.0.0.4 2000 2", "10.0.0.4 3000 5", "10.0.0.5 1000 5", "10.0.0.5 2000 2", "10.0.0.5 3000 2",
        "10.0.0.6 1000 3", "10.0.0.6 2000 5", "10.0.0.6 3000 5", "10.0.0.7 1000 4", "10.0.0.7 2000 4",
        "10.0.0.7 3000 2", "10.0.0.8 1000 2", "10.0.0.8 2000 4", "10.0.0.8 3000 2", "10.0.0.9 1000 4",
        "10.0.0.9 2000 2", "10.0.0.9 3000 3", "10.0.0.10 1000 2", "10.0.0.10 2000 4", "10.0.0.10 3000 3"};

    @Test
    void bucketsAreOvsBuckets() {
        try (TestSwitch sw = new TestSwitch().bridge("br0", 5, 0)) {
            Ofctl.addGroup(sw.ofproto, "br0", "group_id=1,type=select,selection_method=hash,"
                    + "fields(ip_src,ip_dst,tcp_src,tcp_dst),bucket=bucket_id:0,actions=output:2,"
                    + "bucket=bucket_id:1,actions=output:3,bucket=bucket_id:2,actions=output:4,"
                    + "bucket=bucket_id:3,actions=output:5");
            sw.flows("br0", "in_port=1,actions=group:1");
            for (String line : OVS) {
                String[] f = line.split(" ");
                byte[] frame = Frames.tcp4().ip(f[0], "10.1.0.1").ports(Integer.parseInt(f[1]), 80).build();
                assertThat(sw.actions(frame, 1)).as(line).isEqualTo(f[2]);
            }
        }
    }
}
