package dev.jvswitch.config;

import java.util.List;

/**
 * What config validation asks of the OpenFlow side before anything starts: whether a flow or
 * group string parses, whether VLAN port modes are supported, and whether a table's prefix
 * fields are ones it can track. switch-config cannot import
 * ofproto's syntax, so the daemon passes {@code dev.jvswitch.vswitchd.ofproto.OfprotoFlowChecker}
 * in ({@link ConfigEnvironment#checker}).
 *
 * <p>A checker may keep what it parsed, so that whoever applies the config does not parse each
 * line again (the daemon's checker keeps the flow-mod model of every flow line): the loader calls
 * {@link #forget()} when a load begins and when it fails, and the daemon once it applied the
 * config.
 *
 * <p>A check depends on the text alone: a line equal to one that passed when the running config
 * was loaded is not checked again (the loader's baseline), and the checker keeps nothing for it.
 *
 * <p><b>Thread-safety:</b> one load at a time, but within a load {@link #checkFlow} and
 * {@link #checkGroup} are called from several threads at once (the loader checks a long list in
 * parallel chunks): they must be safe for that, and what they keep must be visible to the
 * loading thread once the load returns (the loader joins its workers). {@link #forget()} and the
 * other methods are called from the loading thread alone.
 */
public interface FlowChecker {
    /** Null if {@code flow} (ovs-ofctl add-flow syntax) parses, else a one-line message. */
    String checkFlow(String flow);

    /** Null if {@code group} (ovs-ofctl add-group syntax) parses, else a one-line message. */
    String checkGroup(String group);

    /**
     * Null if {@code meter} (ovs-ofctl add-meter syntax) parses and is a meter the datapath can
     * run, else a one-line message.
     */
    default String checkMeter(String meter) {
        return null;
    }

    /** The id of {@code meter}, a line {@link #checkMeter} passed, or -1 if this checker cannot tell. */
    default long meterId(String meter) {
        return -1;
    }

    /**
     * From the loading thread, before it checks a bridge's flow lines: the ids of the bridge's
     * {@code meters}, or null when the bridge has no {@code meters} key (its meters come from
     * OpenFlow and are not known here). With a set, a flow whose actions name a meter not in it
     * fails its check, so a config never names a meter it does not make.
     */
    default void expectMeters(java.util.Set<Long> ids) {
    }

    /** Null if ports may have {@code tag}/{@code trunks}, else the message to report on them. */
    String checkVlans();

    /**
     * Null if a table can track prefixes of {@code fields} (field names, or the one word
     * {@code none}), else a one-line message naming the field.
     */
    String checkPrefixes(List<String> fields);

    /**
     * Null if {@code mappings} (each ovs-ofctl's {@code {class=C,type=T,len=L}->tun_metadataN},
     * or several of them separated by commas) make a valid TLV map together, else a one-line
     * message naming the mapping.
     */
    default String checkTlvMap(List<String> mappings) {
        return null;
    }

    /**
     * From the loading thread, before it checks a bridge's flow lines: the bridge's
     * {@code tlv-map} (as {@link #checkTlvMap} takes it; empty for none), through which a
     * checker reads a longer Geneve option's {@code tun_metadataN} whole.
     */
    default void expectTlvMap(List<String> mappings) {
    }

    /**
     * From the loading thread, before it checks a list of {@code lines} flow lines (in parallel
     * chunks, with {@link #checkFlow(String, int)}): a checker that keeps what it parsed opens a
     * store of that size, indexed by position in the list.
     */
    default void expectFlows(int lines) {
    }

    /**
     * {@link #checkFlow(String)} of line {@code index} of the list {@link #expectFlows} announced
     * last: a checker that keeps what it parsed keeps it by that position.
     */
    default String checkFlow(String flow, int index) {
        return checkFlow(flow);
    }

    /** Drops whatever the checker kept of the lines it checked (nothing, unless it keeps them). */
    default void forget() {
    }
}
