package dev.jvswitch.bench;

import java.io.PrintStream;
import java.util.Arrays;

import dev.jvswitch.bench.cli.Args;

/**
 * Entry point of {@code bin/jvs-bench}. Subcommands:
 * <ul>
 *   <li>{@code gen-pcap}: write a pcap of UDP frames over N flows;</li>
 *   <li>{@code pipeline}: pcap port → one PMD → null port, in process;</li>
 *   <li>{@code l2fwd}: forwarder between two AF_PACKET or AF_XDP ports, io or full pipeline;</li>
 *   <li>{@code afpacket-fwd}: the forwarding benchmark over veths in namespaces (AF_PACKET or
 *       AF_XDP ports on the forwarder);</li>
 *   <li>{@code latency}: round-trip latency through jvswitch, OVS-DPDK, OVS userspace or a Linux
 *       bridge, idle and under load;</li>
 *   <li>{@code reval-bench}: the revalidators' dump cost and their effect on forwarding;</li>
 *   <li>{@code ovs-megaflows}: the megaflows Open vSwitch installs for a rule set and a pcap;</li>
 *   <li>{@code table-bench} (alias {@code tables}): load, replace and delete large OpenFlow rule sets: time and heap;</li>
 *   <li>{@code pktgen}: a paced generator with an optional receiver (loss, order, one-way latency);</li>
 *   <li>{@code ndr}: the RFC 2544 NDR/PDR search through a switch under test;</li>
 *   <li>{@code compare}: jvswitch beside the other switches, with a table and plots;</li>
 *   <li>{@code ct-bench}: the connection tracker in memory: setups, established lookups, flush;</li>
 *   <li>{@code jmh}: the JMH benchmarks of each stage.</li>
 * </ul>
 * {@code daemon-tables} is a script that {@code bin/jvs-bench} runs; it is listed here for the
 * help, the man page and the completion. {@code --help} (also after a command), {@code --version};
 * the options are parsed by picocli ({@link BenchCli}, {@link Args}). A usage mistake prints one
 * line and exits with status 2.
 */
public final class Main {
    /** The usage of every command: {@code jvs-bench --help} prints it, and each command's help is its block. */
    static final String USAGE = """
                usage: jvs-bench <command> [options]
                  gen-pcap --flows N [--packets M] [--size 64] [--ipv6] [--vlan V] [--vxlan VNI | --geneve VNI] --out FILE
                      write a pcap of valid UDP frames cycling over N distinct flows
                      (--vxlan: each in VXLAN from 192.0.2.2 to the tunnel pipeline's 192.0.2.1;
                      --geneve: in Geneve with one 4-byte option, class 0x0102 type 0x80)
                  pipeline --pcap FILE [--seconds S] [--warmup S] [--emc-insert-inv-prob P] [--smc]
                           [--pmd-cpu N] [--flow-limit N] [--max-idle MS] [--revalidators N]
                           [--flows FILE [--groups FILE] [--meters FILE] | --tunnel encap|decap [--vni N] [--tunnel-type vxlan|geneve]]
                           [--dut jvswitch|ovs-dpdk] [--rate PPS|max] [--latency] [--repeat N] [--json]
                      replay FILE from memory (port 1) through one PMD to a null port (port 2),
                      with the revalidators running beside it; --flows: OpenFlow rules (ovs-ofctl
                      syntax, bridge br0, OpenFlow ports 1 and 2) instead of the built-in 1->2;
                      --tunnel: push into VXLAN (VNI N, default 100) on the way out, or pop
                      gen-pcap --vxlan frames on the way in (--tunnel-type geneve: Geneve and
                      gen-pcap --geneve frames); --dut ovs-dpdk: the same file and
                      rules through a private OVS-DPDK (net_pcap in, net_null out);
                      --rate: arrivals paced at PPS (max: a full batch each poll) and each frame
                      timed from arrival to the null port (HdrHistogram, GC, safepoints, stalls);
                      --latency alone: the same at half the rate measured unpaced in warm-up;
                      --repeat: N runs, each in its own JVM, and their median, min and max
                  l2fwd --port IFNAME --port IFNAME [--port-type afpacket|afxdp] [--xdp-mode MODE]
                        [--mode io|switch] [--seconds S] [--pmd-cpu N] [--json]
                      forward between two AF_PACKET (or AF_XDP) ports (port 1 <-> port 2) until S seconds or
                      SIGINT/SIGTERM; io: no classification; switch: the full PMD pipeline with in_port 1->2, 2->1 rules
                  afpacket-fwd [--seconds S] [--warmup S] [--mode io|switch|both] [--frame-size 64] [--flows N]
                               [--gen-cpu N] [--pmd-cpu N] [--rx-ring v2|v3] [--port-type afpacket|afxdp]
                               [--xdp-mode best-effort|native|generic] [--json]
                      (root) generator netns -> veth -> port 1 -> forwarder -> port 2 -> veth -> sink netns;
                      offered and forwarded Mpps per mode; makes and removes its own namespaces and veths
                  latency --dut jvswitch|jvswitch-afxdp|ovs-dpdk|ovs-dpdk-afxdp|ovs-netdev|linux-bridge|all[,...]
                          [--load 0.5] [--count 3000]
                          [--interval 0.002] [--pmd-idle busy,backoff,sleep] [--rx-ring v2,v3] [--probe-cpu 0]
                          [--pmd-cpu 1] [--gen-cpu N] [--jvswitchd PATH] [--frame-size 64] [--flows N]
                          [--warmup 2] [--repeat R] [--hugepages 256] [--json]
                      (root) ping RTT min/p50/p90/p99/p99.9/max in us from h1 to h2 through the DUT in
                      namespaces of its own, idle and under UDP at LOAD x the DUT's forwarding rate
                  pktgen --port IFNAME [--ns NS] [--rx IFNAME [--rx-ns NS]] --rate PPS|max [--flows 1] [--size 64]
                         [--ipv6] [--vlan V] [--vxlan VNI] [--seconds 10] [--count N] [--burst 32] [--gen-cpu N]
                         [--rx-cpu N] [--histogram FILE] [--calibrate 0.5] [--src-mac M] [--dst-mac M] [--dst-ip A] [--json]
                      (root) stamped UDP frames over N flows through an AF_PACKET tx ring (qdisc bypass, a kick
                      per burst), paced or flat out; with --rx: received, lost, reordered, duplicated per flow
                      and one-way latency (HdrHistogram; --histogram writes its log); reports its own ceiling
                  ndr --dut jvswitch|jvswitch-afxdp|ovs-dpdk|ovs-dpdk-afxdp|ovs-netdev|linux-bridge|testpmd|all[,...]
                      [--flows 1] [--size 64] [--trial 1] [--loss 0,0.005] [--precision 0.01] [--max-trials 20]
                      [--warmup 1] [--latency-at 0.1,0.5,0.9] [--gen-cpu 0] [--rx-cpu N] [--pmd-cpu 1]
                      [--pmd-idle busy|backoff|sleep] [--jvswitchd PATH] [--hugepages 256] [--json]
                      (root) RFC 2544 binary search through the DUT in namespaces of its own (h1 -> DUT -> h2):
                      NDR (no loss) and PDR (loss <= 0.5 %), then one-way latency at 10, 50 and 90 % of NDR;
                      a DUT that is not installed is reported as such
                  compare [--flows 1,1000,100000,1000000] [--rules FILE] [--out DIR] [--dut LIST|all]
                          [--pipeline-seconds 3] [--pipeline-warmup 2] [--no-pipeline] [--no-ndr] [--install]
                          [ndr's options] [--json]   |   compare --replot DIR
                      (root) per flow count: the in-memory pipeline through jvswitch and OVS-DPDK (same pcap,
                      same PMD CPU), then the veth NDR and latency of each DUT; writes compare.csv,
                      compare.json, throughput.png and latency.png into DIR (default ./jvs-compare) and
                      prints a table of ratios to jvswitch; --install: apt-get install what it needs;
                      --replot DIR: draw the plots again from DIR/compare.csv
                  reval-bench [--flows 10000,100000,200000] [--revalidators N] [--cycles K]
                              [--traffic-flows F] [--seconds S] [--warmup S] [--repeat R]
                              [--slow-path bench|ofproto] [--json]
                      revalidator dump time by megaflow count; PMD Mpps with revalidators off/on
                  ovs-megaflows --pcap FILE --flows FILE [--batch 64] [--show 20] [--json]
                      the megaflows Open vSwitch (private, dummy datapath) installs for the rules
                      when every frame of FILE arrives on port 1: pipeline's megaflowsMax's yardstick
                  ct-bench [--threads N] [--conns N] [--zones N] [--batch 32] [--nat] [--json]
                      connection tracking in memory (as ovstest test-conntrack): N UDP connections
                      committed, their replies, the original direction again (established), a zone
                      flushed; setups/s, lookups/s, flush ms, heap bytes per connection and per packet
                  table-bench (or tables) [--rules 100000,1000000] [--shape 5tuple|multi-table[,...]] [--no-probe] [--json]
                      parse, load, replace (identical, 10 % changed, all changed, disjoint) and delete
                      (by filter, all) N OpenFlow rules: time, CPU and GC time, peak heap, live heap
                      per rule, and the longest translation and rule-expiry pass while each change runs
                  daemon-tables [--rules 1000000] [--settle S] [--keep]
                      the same through bin/jvswitchd and jvsctl reload: start, 1 -> N, identical,
                      disjoint, N -> 1, start with N: wall time, daemon CPU time, RSS, load average
                  demo
                      an in-process tour: frames through the parser and a datapath, flows, stats
                  jmh [JMH options]
                      run the JMH benchmarks of each stage (e.g. jmh -prof gc Parse)""";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one invocation; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        if (args[0].equals("-h") || args[0].equals("--help")) {
            out.println(USAGE);
            out.println(BenchCli.STANDARD_OPTIONS);
            return 0;
        }
        if (args[0].equals("-V") || args[0].equals("--version")) {
            out.println(BenchCli.versionLine());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            BenchCli.Sub sub = BenchCli.find(args[0]);
            if (sub == null) {
                throw new Args.UsageException("jvs-bench: unknown command '" + args[0] + "'");
            }
            if (!sub.ownHelp() && BenchCli.asksFor(rest, "-h", "--help")) {
                out.print(BenchCli.help(sub));
                return 0;
            }
            if (!sub.ownHelp() && BenchCli.asksFor(rest, "-V", "--version")) {
                out.println(BenchCli.versionLine());
                return 0;
            }
            return sub.runner().run(rest);
        } catch (Args.HelpRequested h) {
            out.print(h.version() ? BenchCli.versionLine() + "\n" : BenchCli.help(BenchCli.find(h.command())));
            return 0;
        } catch (Args.UsageException e) {
            err.println(e.getMessage());
            err.println("run 'jvs-bench --help' for usage");
            return 2;
        }
    }
}
