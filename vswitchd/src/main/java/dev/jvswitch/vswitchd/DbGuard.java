package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One switch per database: before jvswitchd follows a database, it looks for another vswitchd
 * (the package's ovs-vswitchd, or another jvswitchd) serving it, where OVS puts the traces of one:
 * a locked {@value #OVS_PIDFILE} (OVS and jvswitchd both hold it with an fcntl lock) in the run
 * directory or in the database socket's directory, or a unixctl socket {@value #OVS_CTL} that
 * answers. While jvswitchd runs under a database it holds {@code RUNDIR/ovs-vswitchd.pid} itself.
 *
 * <p>Stateless.
 */
public final class DbGuard {
    public static final String OVS_PIDFILE = "ovs-vswitchd.pid";
    public static final String OVS_CTL = "ovs-vswitchd.ctl";

    private DbGuard() {
    }

    /** Why jvswitchd must not serve {@code db}, or null when nothing else seems to. */
    public static String otherVswitchd(String db, Path rundir) {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(rundir);
        if (db.startsWith("unix:")) {
            Path parent = Path.of(db.substring(5)).toAbsolutePath().getParent();
            if (parent != null) {
                dirs.add(parent);
            }
        }
        for (Path dir : dirs) {
            Path pid = dir.resolve(OVS_PIDFILE);
            try {
                PidFile.checkNotRunning(pid);
            } catch (PidFile.AlreadyRunning e) {
                return "another vswitchd serves " + db + ": " + e.getMessage() + "; stop it first (the package's: "
                        + "systemctl stop ovs-vswitchd) or give jvswitchd a database of its own";
            } catch (IOException e) {
                return "cannot read " + pid + ": " + e.getMessage();
            }
        }
        Path ctl = rundir.resolve(OVS_CTL);
        if (Files.exists(ctl)) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(ctl));
                return "another vswitchd answers on " + ctl + "; stop it first or use another --rundir";
            } catch (IOException e) {
                // A stale socket file: the unixctl server replaces it.
            }
        }
        return null;
    }
}
