/**
 * The Prometheus text endpoint ({@code control.metrics-listen}): {@link MetricsServer} on the JDK's
 * HTTP server, {@link SwitchMetrics} reading the datapath's counters (acquire loads of the PMDs'
 * Agrona counters and the ports' counters: nothing a PMD waits for), {@link PromWriter} writing
 * the text format. Names are documented in {@code docs/operations.md}.
 */
package dev.jvswitch.vswitchd.metrics;
