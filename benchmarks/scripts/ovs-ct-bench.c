/*
 * ovs-ct-bench: OVS's userspace conntrack (lib/conntrack.c) measured as jvs-bench ct-bench
 * measures jvswitch's: one thread, batches of 32 UDP packets rewritten in place, N distinct
 * connections committed (setup), one reply each, the original direction again (established),
 * then a zone flush; two rounds on one tracker at the same N, the first cold (heap growing), the
 * second the measured one. Every packet's ct_state is checked. Prints one JSON line. The thread
 * quiesces (RCU) every 1 024 batches and after a flush, as a PMD's loop does, so that the
 * connections freed by a flush are freed (and their memory malloc'd again) before the next round.
 *
 * Built against an OVS source tree's lib/libopenvswitch by benchmarks/scripts/ovs-ct-bench.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conntrack.h"
#include "dp-packet.h"
#include "flow.h"
#include "packets.h"
#include "timeval.h"
#include "openvswitch/util.h"
#include "ovs-rcu.h"

/* 10.1.1.1:1 -> 10.1.1.2:2 UDP without checksum, and its reverse (the IP checksum is the same). */
static const char orig_hex[] = "50540000000a50540000000908004500001c0000000000"
                               "11a4cd0a0101010a0101020001000200080000";
static const char reply_hex[] = "50540000000950540000000a08004500001c0000000000"
                                "11a4cd0a0101020a0101010001000200080000";

enum { BATCH = 32 };

static long long
clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct dp_packet_batch *
make_batch(const char *hex)
{
    struct dp_packet_batch *b = xzalloc(sizeof *b);
    dp_packet_batch_init(b);
    for (int i = 0; i < BATCH; i++) {
        struct dp_packet *p = dp_packet_new(64);
        struct flow flow;
        dp_packet_put_hex(p, hex, NULL);
        flow_extract(p, &flow);
        dp_packet_batch_add(b, p);
    }
    return b;
}

struct phase {
    long long wall_ns, cpu_ns, proc_ns;
    long bad;
};

/* One packet per connection, BATCH at a time; 'reply' swaps the ports. */
static void
pass(struct conntrack *ct, struct dp_packet_batch *b, int n, bool reply, bool commit, uint16_t expect,
     long long now, struct phase *ph)
{
    long long w0 = clock_ns(CLOCK_MONOTONIC);
    long long c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    long long p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    for (int base = 0; base < n; base += BATCH) {
        int k = n - base < BATCH ? n - base : BATCH;
        b->count = k;
        for (int j = 0; j < k; j++) {
            struct dp_packet *p = b->packets[j];
            int c = base + j;
            uint16_t sport = 1024 + (c & 0x7fff);
            uint16_t dport = 1 + (c >> 15);
            struct udp_header *udp = dp_packet_l4(p);
            udp->udp_src = htons(reply ? dport : sport);
            udp->udp_dst = htons(reply ? sport : dport);
            conntrack_clear(p);
        }
        conntrack_execute(ct, b, htons(ETH_TYPE_IP), false, commit, 0, NULL, NULL, 0, 0, NULL, NULL,
                          now, 0);
        for (int j = 0; j < k; j++) {
            if (b->packets[j]->md.ct_state != expect) {
                ph->bad++;
            }
        }
        if ((base / BATCH & 1023) == 1023) {
            ovsrcu_try_quiesce();
        }
    }
    b->count = BATCH;
    ph->wall_ns = clock_ns(CLOCK_MONOTONIC) - w0;
    ph->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
    ph->proc_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID) - p0;
}

struct round {
    struct phase setup, reply, est;
    double flush_ms, flush_cpu_ms;
    unsigned int nconns;
};

static void
run_round(struct conntrack *ct, struct dp_packet_batch *o, struct dp_packet_batch *r, int n, struct round *rd)
{
    long long now = time_msec();
    memset(rd, 0, sizeof *rd);
    pass(ct, o, n, false, true, CS_NEW | CS_TRACKED, now, &rd->setup);
    pass(ct, r, n, true, false, CS_ESTABLISHED | CS_REPLY_DIR | CS_TRACKED, now, &rd->reply);
    pass(ct, o, n, false, false, CS_ESTABLISHED | CS_TRACKED, now, &rd->est);
    conntrack_get_nconns(ct, &rd->nconns);
    uint16_t zone = 0;
    long long w0 = clock_ns(CLOCK_MONOTONIC);
    long long c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    conntrack_flush(ct, &zone);
    rd->flush_ms = (clock_ns(CLOCK_MONOTONIC) - w0) / 1e6;
    rd->flush_cpu_ms = (clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1e6;
    /* The flushed connections' memory goes back once every thread has quiesced. */
    ovsrcu_quiesce();
    ovsrcu_synchronize();
}

int
main(int argc, char *argv[])
{
    int n = argc > 1 ? atoi(argv[1]) : 1000000;
    if (n < 1 || n > 0x7fff * 65535) {
        fprintf(stderr, "usage: ovs-ct-bench [CONNECTIONS]\n");
        return 2;
    }
    struct conntrack *ct = conntrack_init();
    conntrack_set_maxconns(ct, n + 1000);
    struct dp_packet_batch *o = make_batch(orig_hex);
    struct dp_packet_batch *r = make_batch(reply_hex);
    struct round warm, cold, hot;
    run_round(ct, o, r, n < 200000 ? n : 200000, &warm); /* as ct-bench's warm-up */
    run_round(ct, o, r, n, &cold);
    run_round(ct, o, r, n, &hot);
    long bad = cold.setup.bad + cold.reply.bad + cold.est.bad + hot.setup.bad + hot.reply.bad + hot.est.bad;
    printf("{\"dut\":\"ovs-conntrack\",\"threads\":1,\"conns\":%d,\"zones\":1,\"batch\":%d,"
           "\"setupsPerSec\":%.0f,\"repliesPerSec\":%.0f,\"establishedLookupsPerSec\":%.0f,"
           "\"flushZoneMs\":%.3f,\"flushZoneCpuMs\":%.3f,\"setupsPerSecWall\":%.0f,"
           "\"cpuNsPerSetup\":%.3f,\"cpuNsPerReply\":%.3f,\"cpuNsPerEstablished\":%.3f,"
           "\"processCpuNsPerSetup\":%.3f,\"processCpuNsPerEstablished\":%.3f,"
           "\"setupsPerSecCold\":%.0f,\"establishedLookupsPerSecCold\":%.0f,\"cpuNsPerSetupCold\":%.3f,"
           "\"cpuNsPerEstablishedCold\":%.3f,\"processCpuNsPerSetupCold\":%.3f,\"flushZoneMsCold\":%.3f,"
           "\"tableHeld\":%u,\"badStates\":%ld}\n",
           n, BATCH, 1e9 * n / hot.setup.cpu_ns, 1e9 * n / hot.reply.cpu_ns, 1e9 * n / hot.est.cpu_ns,
           hot.flush_ms, hot.flush_cpu_ms, 1e9 * n / hot.setup.wall_ns,
           (double) hot.setup.cpu_ns / n, (double) hot.reply.cpu_ns / n, (double) hot.est.cpu_ns / n,
           (double) hot.setup.proc_ns / n, (double) hot.est.proc_ns / n,
           1e9 * n / cold.setup.cpu_ns, 1e9 * n / cold.est.cpu_ns, (double) cold.setup.cpu_ns / n,
           (double) cold.est.cpu_ns / n, (double) cold.setup.proc_ns / n, cold.flush_ms,
           hot.nconns, bad);
    conntrack_destroy(ct);
    return bad ? 1 : 0;
}
