package dev.jvswitch.ofproto.bridge;

import java.util.Arrays;
import java.util.Objects;

/**
 * A port mirror (OVS's {@code mirror.c}, as xlate applies it): a packet received on a source port
 * is copied to {@link #outPort} before anything changes it; a packet sent to a destination port
 * is copied there as sent. One copy per mirror per packet. The output port belongs to the mirror:
 * NORMAL neither floods nor forwards to it, and drops what arrives on it.
 *
 * <p><b>Thread-safety:</b> immutable.
 */
public final class Mirror {
    private final String name;
    private final boolean selectAll;
    private final int[] srcPorts;
    private final int[] dstPorts;
    private final int outPort;

    /**
     * @param srcPorts OpenFlow numbers whose received packets are copied
     * @param dstPorts OpenFlow numbers whose sent packets are copied
     * @param outPort  where the copies go
     */
    public Mirror(String name, boolean selectAll, int[] srcPorts, int[] dstPorts, int outPort) {
        this.name = Objects.requireNonNull(name, "name");
        this.selectAll = selectAll;
        this.srcPorts = srcPorts.clone();
        this.dstPorts = dstPorts.clone();
        Arrays.sort(this.srcPorts);
        Arrays.sort(this.dstPorts);
        this.outPort = outPort;
    }

    public String name() {
        return name;
    }

    public int outPort() {
        return outPort;
    }

    /** Whether packets received on {@code ofPort} are copied. */
    public boolean selectsSrc(int ofPort) {
        return selectAll || Arrays.binarySearch(srcPorts, ofPort) >= 0;
    }

    /** Whether packets sent to {@code ofPort} are copied. */
    public boolean selectsDst(int ofPort) {
        return selectAll || Arrays.binarySearch(dstPorts, ofPort) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mirror m && name.equals(m.name) && selectAll == m.selectAll && outPort == m.outPort
                && Arrays.equals(srcPorts, m.srcPorts) && Arrays.equals(dstPorts, m.dstPorts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, selectAll, outPort, Arrays.hashCode(srcPorts), Arrays.hashCode(dstPorts));
    }

    @Override
    public String toString() {
        return "mirror " + name + " (src " + (selectAll ? "all" : Arrays.toString(srcPorts)) + ", dst "
                + (selectAll ? "all" : Arrays.toString(dstPorts)) + ", output " + outPort + ")";
    }
}
