package dev.jvswitch.vswitchd.slowpath;

import java.util.List;
import java.util.Map;

import dev.jvswitch.config.FlowChecker;
import dev.jvswitch.config.RevalidatorSettings;
import dev.jvswitch.pmd.Datapath;
import dev.jvswitch.pmd.upcall.UpcallHandler;

/**
 * Everything the daemon needs from the OpenFlow side (OVS's ofproto): the upcall handler the PMDs
 * call on a miss, the bridges and their ports, flow and group tables, MAC learning, tracing, and
 * whatever keeps megaflows in line with the tables (revalidators). The daemon talks to it only
 * through this interface; {@link OfprotoSlowPath} implements it with ofproto-xlate
 * ({@link SlowPaths#create} picks the implementation).
 *
 * <p><b>Life cycle</b> (all on the control thread):
 * <ol>
 *   <li>{@link #checkFlow}/{@link #checkGroup}/{@link #checkVlans} during config validation,
 *       before anything starts;</li>
 *   <li>{@link #start} once the datapath exists: the slow path gives the datapath its upcall
 *       handler ({@link Datapath#upcallHandler(UpcallHandler)}) and starts its revalidators; then
 *       {@link #setBridges} and {@link #replaceFlows}/{@link #replaceGroups} per bridge, then the
 *       PMDs start;</li>
 *   <li>while running: commands, reloads, and {@link #onTick} every ~250 ms;</li>
 *   <li>{@link #close()} before the datapath closes.</li>
 * </ol>
 *
 * <p><b>Errors.</b> A method that cannot do what it is asked throws {@link SlowPathException}
 * with a one-line message. The control socket passes messages through unchanged.
 *
 * <p><b>Change barrier.</b> Methods that change tables ({@code setBridges}, {@code replace*},
 * {@code addFlow}, {@code delFlows}, {@code addGroup}, {@code fdbFlush}) return only when every
 * PMD forwards by the new tables: megaflows translated from the old ones are fixed or deleted.
 *
 * <p><b>Thread-safety:</b> changes ({@code start}, {@code reconfigure}, {@code setBridges},
 * {@code replace*}, {@code addFlow}, {@code delFlows}, {@code addGroup}, {@code fdbFlush}) come
 * from one thread at a time: the daemon's change thread once it runs. Table reads
 * ({@code dump*}, {@code trace}, {@code fdbShow}) come from the control thread while no change is
 * in progress; {@code upcallShow}, {@code coverage} and {@code onTick} from the control thread at
 * any time, concurrently with a change (see {@code CommandKind}). The upcall handler the slow path
 * gives the datapath is called by the PMD threads concurrently with all of them.
 */
public interface SlowPath extends FlowChecker, AutoCloseable {
    /** One line for the startup log, e.g. what kind of slow path this is. */
    String description();

    /**
     * Binds to the datapath (its flow API and ukeys), sets the datapath's upcall handler, and
     * starts background threads. The PMDs are not running yet.
     */
    void start(Datapath datapath, RevalidatorSettings settings);

    /** Applies changed revalidator tuning (max-idle, flow limit); a bridge's own settings come with {@link #setBridges}. */
    void reconfigure(RevalidatorSettings settings);

    /** Replaces the set of bridges and their ports; bridges not listed are removed with their tables. */
    void setBridges(List<BridgeView> bridges) throws SlowPathException;

    /** Replaces every flow of {@code bridge} with {@code flows} (ovs-ofctl add-flow syntax). */
    void replaceFlows(String bridge, List<String> flows) throws SlowPathException;

    /** Replaces every group of {@code bridge} with {@code groups} (ovs-ofctl add-group syntax). */
    void replaceGroups(String bridge, List<String> groups) throws SlowPathException;

    /** {@code ofctl/add-flow}. */
    void addFlow(String bridge, String flow) throws SlowPathException;

    /** {@code ofctl/del-flows}: deletes the flows {@code match} selects (null: all); returns how many. */
    int delFlows(String bridge, String match) throws SlowPathException;

    /** {@code ofctl/dump-flows}, in ovs-ofctl's layout. */
    String dumpFlows(String bridge) throws SlowPathException;

    /** {@code ofctl/add-group}. */
    void addGroup(String bridge, String group) throws SlowPathException;

    /** {@code ofctl/dump-groups}, in ovs-ofctl's layout. */
    String dumpGroups(String bridge) throws SlowPathException;

    /**
     * {@code ofproto/trace}: {@code flow} is a flow in ovs-ofctl match syntax, and
     * {@code packetHex} a packet in hex or null. Output ends with {@code Datapath actions: ...}.
     */
    String trace(String bridge, String flow, String packetHex) throws SlowPathException;

    /** {@code fdb/show}, as OVS prints it. */
    String fdbShow(String bridge) throws SlowPathException;

    /** {@code fdb/flush}: empties the MAC table of {@code bridge}, or of every bridge if null. */
    void fdbFlush(String bridge) throws SlowPathException;

    /** {@code upcall/show}: flows, limits and revalidator state. */
    String upcallShow();

    /** Control thread, every ~250 ms: timeouts and housekeeping that needs no thread of its own. */
    void onTick(long nowMs);

    /** Counters for {@code coverage/show}, by name. */
    Map<String, Long> coverage();

    /** Stops background threads. The datapath is still open. */
    @Override
    void close();
}
