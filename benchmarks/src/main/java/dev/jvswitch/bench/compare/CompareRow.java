package dev.jvswitch.bench.compare;

import java.util.Map;

import dev.jvswitch.bench.cli.Json;
import dev.jvswitch.bench.cli.Percentiles;

/**
 * One cell of the comparison: one DUT at one flow count in one stage ({@code pipeline}: in
 * memory, pcap replay to a null port; {@code veth}: the throughput search through veths).
 *
 * @param status         {@code ok}, {@code unavailable} (not installed; {@code note} says what is
 *                       missing) or {@code failed} ({@code note} says why)
 * @param mpps           pipeline: Mpps forwarded; veth: NDR
 * @param pdrMpps        veth: PDR (NaN in memory)
 * @param cpuNsPerPacket pipeline: the forwarding thread's CPU time per packet (NaN through veths)
 * @param latencyUs      veth: one-way latency at 50 % of NDR (empty otherwise)
 */
public record CompareRow(int flows, String stage, String dut, String status, String note, double mpps,
        double pdrMpps, double cpuNsPerPacket, Map<String, Double> latencyUs) {
    static final String PIPELINE = "pipeline";
    static final String VETH = "veth";

    static CompareRow unavailable(int flows, String stage, String dut, String why) {
        return new CompareRow(flows, stage, dut, "unavailable", why, Double.NaN, Double.NaN, Double.NaN, Map.of());
    }

    static CompareRow failed(int flows, String stage, String dut, String why) {
        return new CompareRow(flows, stage, dut, "failed", why, Double.NaN, Double.NaN, Double.NaN, Map.of());
    }

    boolean ok() {
        return status.equals("ok");
    }

    double latency(String key) {
        Double v = latencyUs.get(key);
        return v == null ? Double.NaN : v;
    }

    Json toJson() {
        Json j = new Json().put("flows", flows).put("stage", stage).put("dut", dut).put("status", status)
                .put("mpps", mpps).put("pdrMpps", pdrMpps).put("cpuNsPerPacket", cpuNsPerPacket);
        if (note != null) {
            j.put("note", note);
        }
        return j.putRaw("latencyUsAtHalfNdr", latencyUs.isEmpty() ? "null" : Percentiles.json(latencyUs));
    }
}
