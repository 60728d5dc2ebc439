package dev.jvswitch.bench.ct;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ct-bench} on a few thousand connections, plain and with {@code --nat}: every packet's
 * ct_state is what the phase expects (the command reports a problem and exits 1 otherwise), in
 * the cold round and the measured one, the table holds every connection, established packets
 * allocate nothing, and the cold round's and the whole process's figures are reported.
 */
class CtBenchCommandTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyPhaseSeesTheExpectedStates(boolean nat) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            rc = nat ? CtBenchCommand.run(new String[] {"--conns", "20000", "--threads", "2", "--nat", "--json"})
                    : CtBenchCommand.run(new String[] {"--conns", "20000", "--threads", "2", "--json"});
        } finally {
            System.setOut(old);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("problem").contains("\"nat\":" + nat, "\"flushedConnections\":20000",
                "\"heapBytesPerEstablishedPacket\":0.0", "\"setupsPerSecCold\":", "\"bytesPerConnectionCold\":",
                "\"processCpuNsPerSetup\":", "\"processCpuNsPerSetupCold\":", "\"flushZoneMsCold\":");
        assertThat(rc).isZero();
    }
}
