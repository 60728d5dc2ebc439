package dev.jvswitch.vswitchd;

import java.lang.reflect.Proxy;

/**
 * Installs handlers for SIGTERM, SIGINT and SIGHUP. The JDK's only way is
 * {@code sun.misc.Signal} (module jdk.unsupported, exported to every module); it is reached by
 * reflection because javac reports any direct use as "internal proprietary API" with a warning
 * that cannot be suppressed, and the build is kept free of warnings.
 *
 * <p><b>Thread-safety:</b> handlers run on a JVM signal thread; they must only set flags and
 * wake the control thread.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code action} on each delivery of signal {@code name} ("TERM", "INT", "HUP").
     *
     * @return false if the JVM offers no signal handling (the caller falls back to a shutdown hook)
     */
    static boolean handle(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object sig = signal.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler},
                    (p, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> action.run();
                            case "hashCode" -> {
                                return System.identityHashCode(p);
                            }
                            case "equals" -> {
                                return p == args[0];
                            }
                            case "toString" -> {
                                return "jvswitchd SIG" + name + " handler";
                            }
                            default -> {
                            }
                        }
                        return null;
                    });
            signal.getMethod("handle", signal, handler).invoke(null, sig, proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
