package dev.jvswitch.vswitchd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * The daemon's pid file, as Open vSwitch keeps one: the file holds the pid, and the running
 * daemon holds an advisory write lock on it (POSIX {@code fcntl} lock, through
 * {@link FileChannel#tryLock}) for as long as it runs. Whether a daemon runs is decided by the
 * lock, never by the pid in the file: a stale file left by a daemon killed with SIGKILL names a
 * pid that may since belong to an unrelated process, but nobody holds its lock, so the next
 * start goes ahead. The kernel drops the lock when the process dies, however it dies.
 *
 * <p>Writing: a new file (mode 0640) is written and locked under a temporary name, then renamed
 * over the pid file, so a reader sees no pid file or a whole one, and the lock is on the file
 * that bears the name.
 *
 * <p><b>Thread-safety:</b> made and closed by the main thread.
 */
final class PidFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final long pid;

    private PidFile(Path path, FileChannel channel, FileLock lock, long pid) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.pid = pid;
    }

    /** A live daemon holds the lock of the pid file. */
    static final class AlreadyRunning extends Exception {
        private static final long serialVersionUID = 1L;

        AlreadyRunning(String message) {
            super(message);
        }
    }

    /**
     * Fails if a running daemon holds {@code path}'s lock; a missing or stale file is fine.
     *
     * @throws AlreadyRunning naming the pid the file holds
     */
    static void checkNotRunning(Path path) throws AlreadyRunning, IOException {
        FileChannel c;
        try {
            c = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return;
        }
        try (c) {
            FileLock l;
            try {
                l = c.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // This very process holds it.
            }
            if (l == null) {
                throw new AlreadyRunning("already running (pid " + readPid(path) + ", pid file " + path + ")");
            }
            l.release();
        }
    }

    /** Writes and locks the pid file of this process. */
    static PidFile create(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        long pid = ProcessHandle.current().pid();
        Path tmp = path.resolveSibling(path.getFileName() + "." + pid + ".tmp");
        Files.deleteIfExists(tmp);
        FileChannel c = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        try {
            FileLock l = c.tryLock();
            if (l == null) {
                throw new IOException("cannot lock " + tmp);
            }
            c.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)));
            c.force(false);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new PidFile(path, c, l, pid);
        } catch (IOException | RuntimeException e) {
            c.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** Removes the file if it still names this process, then drops the lock. */
    @Override
    public void close() {
        try {
            if (Long.toString(pid).equals(readPid(path))) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // Gone already, or not ours any more.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The process ends; the kernel drops the lock with it.
        }
    }

    /** The pid the file names (its first 32 bytes, whatever the file is), or "?". */
    private static String readPid(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return new String(in.readNBytes(32), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
