package dev.jvswitch.ofproto.bridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.agrona.collections.Int2ObjectHashMap;

import dev.jvswitch.ofproto.match.PrefixFields;
import dev.jvswitch.ofproto.port.OfPorts;

/**
 * A bridge: its name, its OpenFlow ports, the settings of its NORMAL action and the prefix fields
 * of its tables ({@link #prefixes(int)}; OVS's Flow_Table {@code prefixes}). Translation maps a
 * packet's datapath in_port to the bridge and OpenFlow port with {@link #byDpPort}, and an
 * OpenFlow output port back with {@link #byOfPort}.
 *
 * <p><b>Thread-safety:</b> immutable; a new configuration is a new object, published with the
 * table snapshot that goes with it.
 */
public final class BridgeConfig {
    /** Default size of the MAC learning table (OVS's {@code mac-table-size}). */
    public static final int DEFAULT_MAC_TABLE_SIZE = 2048;
    /** Default MAC aging time in seconds (OVS's {@code mac-aging-time}). */
    public static final int DEFAULT_MAC_AGING_SEC = 300;
    /** Highest OpenFlow table id. */
    public static final int MAX_TABLE_ID = 254;
    /** Mirrors a bridge may have (OVS's {@code MAX_MIRRORS}): one bit each in a translation. */
    public static final int MAX_MIRRORS = 32;

    private final String name;
    private final List<OfPort> ports;
    private final int macTableSize;
    private final int macAgingSec;
    /** Tables whose prefix fields are not {@link PrefixFields#DEFAULT}. */
    private final Map<Integer, PrefixFields> prefixes;
    // Int-keyed (translation looks ports up per upcall, LOCAL is 65534: no boxing); never
    // written once built.
    private final Int2ObjectHashMap<OfPort> byOfPort = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<OfPort> byDpPort = new Int2ObjectHashMap<>();
    private final Map<String, OfPort> byName = new HashMap<>();
    private final List<Bond> bonds;
    private final Int2ObjectHashMap<Bond> bondByOfPort = new Int2ObjectHashMap<>();
    private final List<Mirror> mirrors;

    /**
     * @throws IllegalArgumentException naming the bridge and port when two ports share an
     *                                  OpenFlow number, a datapath port or a name
     */
    public BridgeConfig(String name, List<OfPort> ports, int macTableSize, int macAgingSec) {
        this(name, ports, macTableSize, macAgingSec, Map.of());
    }

    /**
     * @param prefixes prefix fields by table id (0..254); tables not in it track
     *                 {@link PrefixFields#DEFAULT}
     * @throws IllegalArgumentException as the other constructor, or naming a table id out of range
     */
    public BridgeConfig(String name, List<OfPort> ports, int macTableSize, int macAgingSec,
            Map<Integer, PrefixFields> prefixes) {
        this(name, ports, macTableSize, macAgingSec, prefixes, List.of());
    }

    /**
     * @param bonds ports NORMAL treats as one ({@link Bond}); each member a port of this bridge,
     *              in at most one bond
     * @throws IllegalArgumentException as the other constructors, or naming a bond whose member
     *                                  is not a port or is in another bond
     */
    public BridgeConfig(String name, List<OfPort> ports, int macTableSize, int macAgingSec,
            Map<Integer, PrefixFields> prefixes, List<Bond> bonds) {
        this(name, ports, macTableSize, macAgingSec, prefixes, bonds, List.of());
    }

    /**
     * @param mirrors port mirrors (at most {@value #MAX_MIRRORS}), each output port a port of this
     *                bridge
     * @throws IllegalArgumentException as the other constructors, or naming a mirror whose output
     *                                  is not a port
     */
    public BridgeConfig(String name, List<OfPort> ports, int macTableSize, int macAgingSec,
            Map<Integer, PrefixFields> prefixes, List<Bond> bonds, List<Mirror> mirrors) {
        this.name = Objects.requireNonNull(name, "name");
        Map<Integer, PrefixFields> tp = new TreeMap<>();
        for (Map.Entry<Integer, PrefixFields> e : prefixes.entrySet()) {
            if (e.getKey() < 0 || e.getKey() > MAX_TABLE_ID) {
                throw new IllegalArgumentException("bridge " + name + ": table " + e.getKey() + " is outside 0.."
                        + MAX_TABLE_ID);
            }
            if (!e.getValue().equals(PrefixFields.DEFAULT)) {
                tp.put(e.getKey(), Objects.requireNonNull(e.getValue(), "prefixes"));
            }
        }
        this.prefixes = Collections.unmodifiableMap(tp);
        if (macTableSize < 1) {
            throw new IllegalArgumentException("bridge " + name + ": mac-table-size " + macTableSize + " < 1");
        }
        if (macAgingSec < 1) {
            throw new IllegalArgumentException("bridge " + name + ": mac-aging-time " + macAgingSec + " < 1");
        }
        this.macTableSize = macTableSize;
        this.macAgingSec = macAgingSec;
        List<OfPort> sorted = new ArrayList<>(ports);
        sorted.sort((a, b) -> Integer.compare(a.ofPort(), b.ofPort()));
        this.ports = Collections.unmodifiableList(sorted);
        for (OfPort p : sorted) {
            if (byOfPort.put(p.ofPort(), p) != null) {
                throw new IllegalArgumentException("bridge " + name + ": two ports have OpenFlow number "
                        + OfPorts.format(p.ofPort()));
            }
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("bridge " + name + ": two ports are called " + p.name());
            }
            if (p.hasDpPort() && byDpPort.put(p.dpPort(), p) != null) {
                throw new IllegalArgumentException("bridge " + name + ": two ports use datapath port " + p.dpPort());
            }
        }
        this.mirrors = List.copyOf(mirrors);
        if (this.mirrors.size() > MAX_MIRRORS) {
            throw new IllegalArgumentException("bridge " + name + ": " + this.mirrors.size() + " mirrors, at most "
                    + MAX_MIRRORS);
        }
        for (Mirror m : this.mirrors) {
            if (byOfPort.get(m.outPort()) == null) {
                throw new IllegalArgumentException("bridge " + name + ": " + m + ": no output port " + m.outPort());
            }
        }
        this.bonds = List.copyOf(bonds);
        for (Bond b : this.bonds) {
            for (int m : b.members()) {
                if (byOfPort.get(m) == null) {
                    throw new IllegalArgumentException("bridge " + name + ": " + b + ": no port " + m);
                }
                if (bondByOfPort.put(m, b) != null) {
                    throw new IllegalArgumentException("bridge " + name + ": port " + m + " is in two bonds");
                }
            }
        }
    }

    /** A bridge with the default MAC learning settings. */
    public BridgeConfig(String name, List<OfPort> ports) {
        this(name, ports, DEFAULT_MAC_TABLE_SIZE, DEFAULT_MAC_AGING_SEC);
    }

    public String name() {
        return name;
    }

    /** Immutable, by OpenFlow port number. */
    public List<OfPort> ports() {
        return ports;
    }

    public int macTableSize() {
        return macTableSize;
    }

    public int macAgingSec() {
        return macAgingSec;
    }

    /** The fields table {@code tableId} tracks prefixes of. */
    public PrefixFields prefixes(int tableId) {
        return prefixes.getOrDefault(tableId, PrefixFields.DEFAULT);
    }

    /** The tables whose prefix fields are not the default, by table id. */
    public Map<Integer, PrefixFields> prefixes() {
        return prefixes;
    }

    /** This bridge with table prefix fields {@code tablePrefixes} (tables not in it: the default). */
    public BridgeConfig withPrefixes(Map<Integer, PrefixFields> tablePrefixes) {
        return new BridgeConfig(name, ports, macTableSize, macAgingSec, tablePrefixes, bonds, mirrors);
    }

    /** The mirrors, in the order given (a translation numbers them by it). */
    public List<Mirror> mirrors() {
        return mirrors;
    }

    /** Whether {@code ofPort} is a mirror's output (NORMAL leaves it alone). */
    public boolean isMirrorOutput(int ofPort) {
        for (int i = 0; i < mirrors.size(); i++) {
            if (mirrors.get(i).outPort() == ofPort) {
                return true;
            }
        }
        return false;
    }

    /** The bonds, in the order given. */
    public List<Bond> bonds() {
        return bonds;
    }

    /** The bond port {@code ofPort} is a member of, or null. */
    public Bond bondOf(int ofPort) {
        return bondByOfPort.get(ofPort);
    }

    /** Keeps the active members of {@code old}'s bonds of the same name (see {@link Bond#carryFrom}). */
    public void carryBondsFrom(BridgeConfig old) {
        if (old == null) {
            return;
        }
        for (Bond b : bonds) {
            for (Bond o : old.bonds) {
                b.carryFrom(o);
            }
        }
    }

    /** The port with OpenFlow number {@code ofPort}, or null. */
    public OfPort byOfPort(int ofPort) {
        return byOfPort.get(ofPort);
    }

    /** The port on datapath port {@code dpPort}, or null (patch ports have none). */
    public OfPort byDpPort(int dpPort) {
        return byDpPort.get(dpPort);
    }

    /** The port called {@code portName}, or null. */
    public OfPort byName(String portName) {
        return byName.get(portName);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BridgeConfig)) {
            return false;
        }
        BridgeConfig b = (BridgeConfig) o;
        return name.equals(b.name) && ports.equals(b.ports) && macTableSize == b.macTableSize
                && macAgingSec == b.macAgingSec && prefixes.equals(b.prefixes) && bonds.equals(b.bonds)
                && mirrors.equals(b.mirrors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, ports, macTableSize, macAgingSec, prefixes, bonds, mirrors);
    }

    @Override
    public String toString() {
        return "BridgeConfig[" + name + ", ports=" + ports + "]";
    }
}
