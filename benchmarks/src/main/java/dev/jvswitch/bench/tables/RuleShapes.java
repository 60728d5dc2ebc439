package dev.jvswitch.bench.tables;

import java.util.Locale;

/**
 * The rule sets {@code jvs-bench table-bench} loads, as ovs-ofctl lines: realistic shapes with
 * distinct values, so that every rule has a slot (table, priority, match) of its own.
 *
 * <ul>
 *   <li>{@code 5tuple}: one table of ACL-like rules,
 *       {@code table=0,priority=P,tcp,nw_src=A/32,nw_dst=B/24,tp_dst=T,actions=output:K}: one mask,
 *       100 priorities, distinct sources.</li>
 *   <li>{@code multi-table}: {@code conf/flows/multi-table.flows} scaled up: a few classifying rules
 *       in table 0, destination prefix x L4 port rules in table 1 ({@code goto_table:2}, 19 of 20
 *       rules), prefix rules in table 2 that drop or output (1 of 20).</li>
 * </ul>
 *
 * <p>{@link #line(int, int)} with a variant other than 0 gives the same slot with other actions:
 * a changed rule, for the replace benchmarks. {@link #moved} gives a rule of another slot (a
 * different source), for a replace where every rule changes.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
enum RuleShapes {
    FIVE_TUPLE("5tuple") {
        @Override
        String line(int i, int variant) {
            return fiveTuple(i, variant, 0);
        }

        @Override
        String moved(int i) {
            return fiveTuple(i, 0, 1);
        }
    },
    MULTI_TABLE("multi-table") {
        @Override
        String line(int i, int variant) {
            return multiTable(i, variant, 0);
        }

        @Override
        String moved(int i) {
            return multiTable(i, 0, 1);
        }
    };

    private static final String[] CLASSIFY = {
        "table=0,priority=100,in_port=1,udp,actions=resubmit(,1)",
        "table=0,priority=100,in_port=1,tcp,actions=resubmit(,1)",
        "table=0,priority=90,in_port=1,icmp,actions=output:2",
        "table=0,priority=80,in_port=1,arp,actions=output:2",
        "table=0,priority=10,in_port=2,actions=output:1",
        "table=0,priority=0,actions=drop",
    };
    private static final int[] PORTS = {53, 80, 443, 5001, 5002, 5003, 5004, 5005, 8080, 8443};

    final String label;

    RuleShapes(String label) {
        this.label = label;
    }

    /** Rule {@code i} (0-based, distinct slots for distinct i); variant 0 is the original. */
    abstract String line(int i, int variant);

    /** A rule in a slot that no {@link #line} of the same set has. */
    abstract String moved(int i);

    static RuleShapes byLabel(String label) {
        for (RuleShapes s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        return null;
    }

    private static String fiveTuple(int i, int variant, int plane) {
        int src = 0x0a000000 + i + (plane << 24);
        int dst = 0xac100000 + ((i * 7) & 0xfff) * 256;
        return String.format(Locale.ROOT,
                "table=0,priority=%d,tcp,nw_src=%s/32,nw_dst=%s/24,tp_dst=%d,actions=output:%d",
                100 + i % 100, ip(src), ip(dst), 1 + (i / 100) % 1000, 1 + (i + variant) % 16);
    }

    private static String multiTable(int i, int variant, int plane) {
        if (i < CLASSIFY.length && plane == 0) {
            String c = CLASSIFY[i];
            return variant == 0 ? c : c.replace("priority=", "idle_timeout=0,cookie=0x" + variant + ",priority=");
        }
        int n = plane == 0 ? i - CLASSIFY.length : i;
        if (n % 20 == 19) {
            int prefix = 0x0b000000 + (n / 20) * 256 + (plane << 25);
            String act = (n / 20 + variant) % 2 == 0 ? "drop" : "output:" + (2 + variant % 3);
            return "table=2,priority=100,ip,nw_dst=" + ip(prefix) + "/24,actions=" + act;
        }
        int k = n - n / 20;
        String proto = (k & 1) == 0 ? "udp" : "tcp";
        int port = PORTS[(k >> 1) % PORTS.length];
        int prefix = 0x0a000000 + ((k >> 1) / PORTS.length) * 256 + (plane << 25);
        String act = variant == 0 ? "goto_table:2" : "output:" + (1 + variant % 4);
        return "table=1,priority=200," + proto + ",nw_dst=" + ip(prefix) + "/24,tp_dst=" + port + ",actions=" + act;
    }

    private static String ip(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
