package dev.jvswitch.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jvswitch.testkit.sh.Sh;

/** Runs {@code bin/jvs-demo} from the repository as a newcomer does, bounded in time, for the demo tests. */
final class Demo {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Demo() {
    }

    /**
     * {@code bin/jvs-demo ARGS}: its output once it exited 0 within 240 s; past that it is
     * stopped, {@code --cleanup} removes what it left, and the test fails with its output.
     */
    static String run(String... args) throws Exception {
        assertThat(ROOT.resolve("vswitchd/target/jvswitchd.jar")).as("package ran before this test").exists();
        String[] cmd = new String[args.length + 1];
        cmd[0] = ROOT.resolve("bin/jvs-demo").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
            Sh.run(ROOT.resolve("bin/jvs-demo").toString(), "--cleanup");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.isAlive()).as("jvs-demo did not end within 240 s:%n%s", out).isFalse();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
