package dev.jvswitch.config;

import java.util.List;
import java.util.Objects;

/**
 * A port mirror of a bridge (OVS's Mirror row): what the selected ports receive, or what is sent
 * to them, is also sent out of {@code output}. The output port is the mirror's alone: NORMAL
 * neither forwards to it nor takes frames from it.
 *
 * @param name      the mirror's name
 * @param selectAll every port is selected, both ways
 * @param srcPorts  ports whose received frames are mirrored
 * @param dstPorts  ports whose sent frames are mirrored
 * @param output    the port the copies leave through
 */
public record BridgeMirror(String name, boolean selectAll, List<String> srcPorts, List<String> dstPorts,
        String output) {
    public BridgeMirror {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(output, "output");
        srcPorts = List.copyOf(srcPorts);
        dstPorts = List.copyOf(dstPorts);
    }
}
