package dev.jvswitch.vswitchd.e2e;

import java.util.TreeSet;

/**
 * OVS's system-test filter for {@code dpctl/dump-conntrack} output ({@code FORMAT_CT(addr)} in
 * {@code tests/system-common-macros.at}): the lines naming {@code dst=addr}, with ports, ids and
 * TCP states replaced by {@code <cleared>}, sorted and without duplicates. The ports of OVS's
 * conntrack cases compare their dumps through it, so they assert what OVS asserts.
 */
final class OvsCtText {
    private OvsCtText() {
    }

    static String formatCt(String dump, String addr) {
        TreeSet<String> lines = new TreeSet<>();
        for (String line : dump.split("\n")) {
            if (line.contains("dst=" + addr)) {
                lines.add(line.replaceAll("port=[0-9]*", "port=<cleared>").replaceAll("id=[0-9]*", "id=<cleared>")
                        .replaceAll("state=[0-9_A-Z]*", "state=<cleared>"));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
