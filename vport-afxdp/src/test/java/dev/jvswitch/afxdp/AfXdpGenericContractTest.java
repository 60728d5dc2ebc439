package dev.jvswitch.afxdp;

/** The port contract for AF_XDP with the program attached in generic (skb) mode. */
class AfXdpGenericContractTest extends AfXdpContractTest {
    @Override
    protected String xdpMode() {
        return "generic";
    }
}
