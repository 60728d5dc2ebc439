package dev.jvswitch.testkit.ovs;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.jvswitch.testkit.env.Needs;

/**
 * One private OVS ({@link OvsOracle}) for a whole test class, the way every differential test
 * wants it: started before the class's first test with dummy ports {@code pN}, closed after its
 * last, and the class skipped (failed where peers are required, {@link Needs}) with the reason
 * when Open vSwitch is not installed.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final OvsOracleExtension OVS = new OvsOracleExtension(1, 2, 3);
 * ... OVS.oracle().trace(flow) ...
 * </pre>
 *
 * <p><b>Thread-safety:</b> JUnit calls the callbacks of a class in order on one thread; the tests
 * read {@link #oracle()} after them.
 */
public final class OvsOracleExtension implements BeforeAllCallback, AfterAllCallback {
    private final int[] ports;
    private volatile OvsOracle oracle;

    /** @param ports the OpenFlow port numbers of br0's dummy ports */
    public OvsOracleExtension(int... ports) {
        this.ports = ports.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Needs.none(OvsOracle.unavailable());
        oracle = OvsOracle.start(ports);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        OvsOracle o = oracle;
        oracle = null;
        if (o != null) {
            o.close();
        }
    }

    /** The running oracle. */
    public OvsOracle oracle() {
        OvsOracle o = oracle;
        if (o == null) {
            throw new IllegalStateException("the OVS oracle runs only between beforeAll and afterAll");
        }
        return o;
    }
}
