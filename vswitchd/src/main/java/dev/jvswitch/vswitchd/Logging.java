package dev.jvswitch.vswitchd;

/**
 * Sets up SLF4J's simple logger (stderr, time stamps, thread names) at the level the config or
 * {@code --log-level} asks for. slf4j-simple reads its settings once, when the first logger is
 * made, so this runs before anything logs; a changed level needs a restart.
 */
final class Logging {
    private Logging() {
    }

    static void init(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // Chronicle's libraries announce themselves at info; only their warnings matter here.
        boolean quieter = level.equals("error") || level.equals("off");
        System.setProperty("org.slf4j.simpleLogger.log.net.openhft", quieter ? level : "warn");
    }
}
