package dev.jvswitch.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every jvswitch JMH benchmark shares; extend it and add {@code @Benchmark} methods.
 *
 * <ul>
 *   <li>Average time per operation in nanoseconds; a benchmark that handles a burst divides by it
 *       with {@code @OperationsPerInvocation} so that the figure is per packet.</li>
 *   <li>One fork, 3 x 1 s warm-up, 5 x 1 s measurement: enough for stable hot-path figures on the
 *       2-core CI machine without hogging it. Override on the command line
 *       ({@code -f -wi -w -i -r}); add {@code -rf json -rff FILE} for machine-readable output.</li>
 *   <li>JVM flags: JMH starts each fork with the launching JVM's own arguments, and
 *       {@code bin/jvs-bench} launches with the parent POM's {@code jvs.jvmFlags} (the filtered
 *       {@code jvm.options} resource). {@link #checkJvmFlags()} fails the trial when a fork lacks
 *       one of them (e.g. when started without the launcher), so figures always come from the
 *       configuration the daemon runs with. A fixed heap keeps GC noise out of the numbers.</li>
 * </ul>
 *
 * Prove a hot path allocation-free with {@code -prof gc}: {@code gc.alloc.rate.norm} must be ~0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public abstract class AbstractBenchmark {
    /** Classpath resource holding the JVM flags, one line, as filtered from the parent POM. */
    static final String JVM_OPTIONS_RESOURCE = "/jvm.options";

    @Setup(Level.Trial)
    public void checkJvmFlags() throws IOException {
        List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : expectedJvmFlags()) {
            if (!running.contains(flag)) {
                throw new IllegalStateException("benchmark JVM lacks flag " + flag + " from jvm.options;"
                        + " run through bin/jvs-bench");
            }
        }
    }

    /** The flags in the {@code jvm.options} resource, or none if it is absent or unfiltered. */
    static String[] expectedJvmFlags() throws IOException {
        try (InputStream in = AbstractBenchmark.class.getResourceAsStream(JVM_OPTIONS_RESOURCE)) {
            if (in == null) {
                return new String[0];
            }
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return line.isEmpty() || line.startsWith("${") ? new String[0] : line.split("\\s+");
        }
    }
}
