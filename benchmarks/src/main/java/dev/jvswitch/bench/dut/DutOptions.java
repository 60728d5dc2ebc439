package dev.jvswitch.bench.dut;

import java.nio.file.Path;

/**
 * How to start the switches under test. One instance serves every {@link DutKind}; each reads
 * the fields that concern it.
 *
 * @param pmdCpu          the CPU the switch's forwarding thread runs on (jvswitch and OVS-DPDK
 *                        PMD, OVS userspace netdev's whole daemon); -1 leaves it to the scheduler
 * @param jvswitchd       the {@code bin/jvswitchd} launcher to start (this tree's, or another
 *                        build's for a side-by-side)
 * @param rxRing          jvswitch's {@code rx-ring} port option, or {@code null} to leave the
 *                        port's default (and to start builds that do not know the option)
 * @param pmdIdle         jvswitch's {@code pmd-idle}: {@code busy}, {@code backoff} or {@code sleep}
 * @param runDir          where each DUT makes its own run directory (config, database,
 *                        sockets, logs, pid files)
 * @param dpdkHugepages   2 MiB huge pages OVS-DPDK reserves for itself while it runs (the
 *                        previous count is restored afterwards)
 */
public record DutOptions(int pmdCpu, Path jvswitchd, String rxRing, String pmdIdle, Path runDir,
        int dpdkHugepages) {

    /** The same options with another jvswitch ring mode and idle strategy. */
    public DutOptions withJvswitch(String ring, String idle) {
        return new DutOptions(pmdCpu, jvswitchd, ring, idle, runDir, dpdkHugepages);
    }

    /** The same options with DUTs making their run directories under {@code dir}. */
    public DutOptions withRunDir(Path dir) {
        return new DutOptions(pmdCpu, jvswitchd, rxRing, pmdIdle, dir, dpdkHugepages);
    }

    /**
     * {@code bin/jvswitchd} beside this jar: of the tree it was built in (benchmarks/target/jvs-bench.jar), or
     * of the distribution it came in (lib/jvs-bench.jar).
     */
    public static Path defaultJvswitchd() {
        try {
            Path jar = Path.of(DutOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.toAbsolutePath().getParent();
            Path root = dir.getFileName().toString().equals("lib") ? dir.getParent() : dir.getParent().getParent();
            return root.resolve("bin/jvswitchd");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("bin/jvswitchd");
        }
    }

    /** {@code pmd-cpu-mask} style hex mask of {@link #pmdCpu}, e.g. {@code 0x2}. */
    public String pmdCpuMask() {
        return "0x" + Long.toHexString(1L << pmdCpu);
    }
}
