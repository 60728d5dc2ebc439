/**
 * Connection tracking, called by the datapath's executor for the {@code ct} action: connection
 * tables per zone, TCP, UDP and ICMP state, NAT, IP fragment reassembly, ALGs, and a sweeper
 * agent that expires connections (never inside a PMD loop). Built so far: the table
 * ({@code ConnTable}, lock-free lookups, one entry for both directions, {@code ct-maxconns} and
 * zone limits), TCP ({@code TcpTracker}: OVS's state machine and window checks), UDP/other and
 * ICMP echo states, OVS's default timeouts, the sweeper ({@code CtSweeperAgent}), OVS's
 * {@code dump-conntrack} text, NAT ({@code NatParams}, {@code NatAlloc}, {@code NatRewrite}) and
 * ICMP errors related to the connection they quote, and IP fragment reassembly before ct
 * ({@code Ipf}: OVS's ipf, the fragments forwarded with their datagram's ct result), and the FTP and
 * TFTP ALGs ({@code FtpAlg}, {@code CtExpectations}: expectations, related data connections, NAT of
 * the FTP text with TCP sequence adjustment).
 *
 * <p>Floor 2, beside {@code flowcache}: this module depends on {@code mempool} alone, and
 * {@code pmd-core} depends on it. It must never import {@code dev.jvswitch.pmd..},
 * {@code dev.jvswitch.ofproto..} or anything of OpenFlow (the executor hands it packets and a
 * zone; OpenFlow's {@code ct()} is translated above it, in ofproto-xlate), nor Netty, Jackson or
 * a configuration library. The module-floor test enforces this.
 */
package dev.jvswitch.conntrack;
