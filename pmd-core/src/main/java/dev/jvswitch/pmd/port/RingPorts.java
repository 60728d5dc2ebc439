package dev.jvswitch.pmd.port;

/**
 * Plain Java construction of {@link RingPort} pairs, for tests and benchmarks that do not go
 * through {@link dev.jvswitch.pmd.netdev.Netdevs}. The ports get generated MACs and MTU 1500.
 */
public final class RingPorts {
    public static final int DEFAULT_QUEUES = 1;
    public static final int DEFAULT_SIZE = 1024;
    public static final int MAX_QUEUES = 64;
    public static final int MIN_SIZE = 4;
    public static final int MAX_SIZE = 1 << 20;

    private RingPorts() {
    }

    /** Both sides of a pair; closing the pair closes both. */
    public record Pair(RingPort a, RingPort b) implements AutoCloseable {
        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    /**
     * Two joined ring ports named {@code a} and {@code b}.
     *
     * @param queues rx and tx queues on each side, 1..{@value #MAX_QUEUES}
     * @param size   capacity of each rx ring, a power of two within {@value #MIN_SIZE}..{@value #MAX_SIZE}
     */
    public static Pair pair(String a, String b, int queues, int size) {
        String problem = check(queues, size);
        if (problem != null) {
            throw new IllegalArgumentException("ring pair " + a + "/" + b + ": " + problem);
        }
        if (a.equals(b)) {
            throw new IllegalArgumentException("ring pair " + a + "/" + b + ": the two sides need different names");
        }
        Object link = new Object();
        RingPort portA = new RingPort(a, b, PortOptions.generatedMac(a), PortOptions.DEFAULT_MTU, queues, size, link);
        RingPort portB = new RingPort(b, a, PortOptions.generatedMac(b), PortOptions.DEFAULT_MTU, queues, size, link);
        RingPort.join(portA, portB);
        return new Pair(portA, portB);
    }

    /** A pair with one queue per side and rings of {@value #DEFAULT_SIZE}. */
    public static Pair pair(String a, String b) {
        return pair(a, b, DEFAULT_QUEUES, DEFAULT_SIZE);
    }

    /** Why {@code queues}/{@code size} are unusable, naming the option, or {@code null}. */
    static String check(int queues, int size) {
        if (queues < 1 || queues > MAX_QUEUES) {
            return "option 'queues' must be within 1.." + MAX_QUEUES + ", got " + queues;
        }
        if (size < MIN_SIZE || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            return "option 'size' must be a power of two within " + MIN_SIZE + ".." + MAX_SIZE + ", got " + size;
        }
        return null;
    }
}
