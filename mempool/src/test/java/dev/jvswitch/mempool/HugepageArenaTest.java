package dev.jvswitch.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Backs a pool with huge pages the test reserves and mounts itself (needs root, as CI has), and
 * gives back both afterwards.
 */
@Tag("root")
class HugepageArenaTest {
    private static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");

    @Test
    void poolLivesInAHugetlbfsMapping() throws Exception {
        String before = Files.readString(NR_HUGEPAGES).trim();
        Path mount = Files.createTempDirectory("jvs-hugetlbfs");
        boolean mounted = false;
        try {
            Files.writeString(NR_HUGEPAGES, String.valueOf(Integer.parseInt(before) + 4));
            run("mount", "-t", "hugetlbfs", "none", mount.toString());
            mounted = true;
            MbufPoolConfig config = MbufPoolConfig.of("huge", 256).withHugepageDir(mount);
            try (MbufPool pool = MbufPool.create(config)) {
                assertThat(pool.hugepages()).isTrue();
                Mbuf m = pool.get();
                m.copyFrom(new byte[] {1, 2, 3}, 0, 3);
                assertThat(m.toByteArray()).containsExactly(1, 2, 3);
                pool.put(m);
                pool.checkNoLeaks();
                try (var files = Files.list(mount)) {
                    assertThat(files).as("backing file is unlinked once mapped").isEmpty();
                }
            }
        } finally {
            // The pages go back even when the unmount fails, so a failure leaves no reservation.
            try {
                if (mounted) {
                    run("umount", mount.toString());
                }
                Files.deleteIfExists(mount);
            } finally {
                Files.writeString(NR_HUGEPAGES, before);
            }
        }
    }

    @Test
    void missingHugepageDirIsNamed() {
        MbufPoolConfig config = MbufPoolConfig.of("nodir", 4).withHugepageDir(Path.of("/nonexistent/huge"));
        assertThatThrownBy(() -> MbufPool.create(config))
                .hasMessage("mempool 'nodir': hugepage path /nonexistent/huge is not a directory");
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish within 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }
}
