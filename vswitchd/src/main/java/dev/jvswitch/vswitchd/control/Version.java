package dev.jvswitch.vswitchd.control;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version jvswitchd and jvsctl print for {@code --version}: the Maven project version,
 * written into {@code version.properties} when the resources are filtered.
 */
public final class Version {
    private Version() {
    }

    /** {@code NAME VERSION (java RUNTIME)}, the line {@code --version} prints. */
    public static String line(String tool) {
        return tool + " (jvswitch) " + version() + " (java " + Runtime.version() + ")";
    }

    /** The project version, or {@code unknown} outside a built jar or classes directory. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
