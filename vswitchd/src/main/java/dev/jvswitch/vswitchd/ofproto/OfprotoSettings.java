package dev.jvswitch.vswitchd.ofproto;

import dev.jvswitch.vswitchd.config.DatapathSettings;

/**
 * The tuning the ofproto service takes from the {@code datapath} section.
 *
 * @param maxIdleMs          {@code max-idle}: megaflows unused this long are deleted
 * @param revalidatorThreads {@code n-revalidator-threads}
 * @param flowLimit          {@code flow-limit}
 * @param macTableSize       {@code mac-table-size}: MAC learning entries per bridge
 * @param macAgingSec        {@code mac-aging-time}: seconds an unused MAC entry lives
 */
public record OfprotoSettings(int maxIdleMs, int revalidatorThreads, int flowLimit, int macTableSize,
        int macAgingSec) {
    public static OfprotoSettings of(DatapathSettings d) {
        return new OfprotoSettings(d.maxIdleMs(), d.revalidatorThreads(), d.flowLimit(), d.macTableSize(),
                d.macAgingSec());
    }
}
