package dev.jvswitch.config.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.jvswitch.config.BridgeSpec;
import dev.jvswitch.config.ConfigKeys;
import dev.jvswitch.config.MirrorSettings;

/**
 * The {@code mirrors} section: port mirrors by name, each {@code port} (required),
 * {@code direction} (rx, tx or both), where the copies go ({@code file}, relative to the config
 * file, or {@code output-interface}: exactly one), and the bounds {@code snaplen},
 * {@code max-bytes} and {@code max-pps}. What one mirror's keys cannot say is checked across them:
 * a port of the file's bridges (when it has bridges; under a database the daemon checks), one
 * mirror per port, {@value MirrorSettings#MAX_MIRRORS} at most.
 *
 * <p>Errors go to the section's diagnostics with the line of the value (or of the mirror).
 */
final class MirrorSection {
    private MirrorSection() {
    }

    /** The mirrors of {@code top}, in file order (none without the section); records their key lines. */
    static List<MirrorSettings> read(Section top, Map<String, BridgeSpec> bridges, String fileName,
            Map<String, Integer> lines) {
        List<MirrorSettings> out = new ArrayList<>();
        if (!top.has("mirrors") || Section.isEmpty(top.value("mirrors"))) {
            return out;
        }
        Section all = top.section("mirrors");
        Map<String, String> byPort = new HashMap<>();
        for (String name : all.keys()) {
            lines.put(all.path(name), all.keyLine(name));
            if (!ConfigKeys.NAME.matcher(name).matches()) {
                all.errorAtKey(name, "mirror name must be " + ConfigKeys.NAME_RULE);
                continue;
            }
            Section m = all.section(name, ConfigKeys.MIRROR);
            for (String k : m.keys()) {
                lines.put(m.path(k), m.keyLine(k));
            }
            MirrorSettings s = mirror(name, all, m, bridges, fileName);
            if (s == null) {
                continue;
            }
            String other = byPort.putIfAbsent(s.port(), name);
            if (other != null) {
                m.error("port", "port " + s.port() + " has a mirror already (" + other + "): one mirror per port");
                continue;
            }
            if (out.size() == MirrorSettings.MAX_MIRRORS) {
                all.errorAtKey(name, MirrorSettings.MAX_MIRRORS + " mirrors at most");
                continue;
            }
            out.add(s);
        }
        return out;
    }

    private static MirrorSettings mirror(String name, Section all, Section m, Map<String, BridgeSpec> bridges,
            String fileName) {
        int before = m.diag().count();
        String port = m.text("port", "a port name");
        if (port == null && !m.has("port")) {
            all.errorAtKey(name, "a mirror needs a port");
        } else if (port != null && !bridges.isEmpty()
                && bridges.values().stream().noneMatch(b -> b.ports().containsKey(port))) {
            m.error("port", "no port named " + port + " in any bridge");
        }
        String direction = m.choice("direction", "both", ConfigKeys.MIRROR_DIRECTIONS);
        String file = m.text("file", "a file name");
        String iface = m.text("output-interface", "an interface name");
        if (file != null && iface != null) {
            m.error("output-interface", "a mirror has a file or an output-interface, not both");
        } else if (file == null && iface == null && !m.has("file") && !m.has("output-interface")) {
            all.errorAtKey(name, "a mirror needs a file or an output-interface");
        }
        if (file != null && file.isBlank()) {
            m.error("file", "must not be empty");
        }
        if (iface != null) {
            String problem = MirrorSettings.ifaceProblem(iface);
            if (problem != null) {
                m.error("output-interface", problem);
            }
        }
        int snaplen = m.integer(MirrorSettings.SNAPLEN, MirrorSettings.DEFAULT_SNAPLEN);
        Long maxBytes = m.integerOrNull(MirrorSettings.MAX_BYTES);
        Long maxPps = m.integerOrNull(MirrorSettings.MAX_PPS);
        if (m.diag().count() != before) {
            return null;
        }
        String path = file == null ? null : YamlConfigLoader.resolveAbsolute(fileName, file.trim());
        return new MirrorSettings(name, port, path, iface, !direction.equals("tx"), !direction.equals("rx"), snaplen,
                maxBytes != null ? maxBytes : file != null ? MirrorSettings.DEFAULT_MAX_BYTES
                        : MirrorSettings.DEFAULT_MAX_BYTES_IFACE,
                maxPps != null ? maxPps : MirrorSettings.DEFAULT_MAX_PPS);
    }
}
