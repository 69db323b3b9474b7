package dev.weft.misbehaving;

import java.util.function.IntSupplier;

/** Every way to use a monitor, for {@code MonitorScannerTest}; never run. */
public final class UsesMonitors {
    private final Object lock = new Object();
    private int count;

    /** ACC_SYNCHRONIZED. */
    public synchronized int synchronizedMethod() {
        return ++count;
    }

    /** monitorenter in the method itself. */
    public int synchronizedBlock() {
        synchronized (lock) {
            return ++count;
        }
    }

    /** monitorenter in the synthetic method javac makes of the lambda body. */
    public IntSupplier synchronizedInALambda() {
        return () -> {
            synchronized (lock) {
                return ++count;
            }
        };
    }

    /** No monitor. */
    public int free() {
        return count;
    }

    /** A static ACC_SYNCHRONIZED method. */
    public static synchronized int staticSynchronized() {
        return 0;
    }
}
