package dev.weft.testing;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The two things we need from {@code com.sun.management.HotSpotDiagnosticMXBean}: thread dumps that include virtual
 * threads, and VM options. Reached through {@link Reflective} (module {@code dev.weft} does not read
 * {@code jdk.management}).
 */
final class HotSpot {
    private static final Object BEAN;
    private static final Method DUMP_THREADS;
    private static final Class<?> FORMAT;
    private static final Method GET_VM_OPTION;
    private static final Method VM_OPTION_VALUE;

    static {
        Class<?> beanType = Reflective.type("com.sun.management.HotSpotDiagnosticMXBean");
        BEAN = Reflective.call(Reflective.method(Reflective.type("java.lang.management.ManagementFactory"),
                "getPlatformMXBean", Class.class), null, beanType);
        FORMAT = Reflective.type("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
        DUMP_THREADS = Reflective.method(beanType, "dumpThreads", String.class, FORMAT);
        GET_VM_OPTION = Reflective.method(beanType, "getVMOption", String.class);
        VM_OPTION_VALUE = Reflective.method(Reflective.type("com.sun.management.VMOption"), "getValue");
    }

    private HotSpot() {}

    /** The formats of {@code HotSpotDiagnosticMXBean.ThreadDumpFormat}. */
    enum DumpFormat { TEXT_PLAIN, JSON }

    /**
     * {@code HotSpotDiagnosticMXBean.dumpThreads}: writes all threads, virtual ones included, to {@code file}, which
     * must be absolute and must not exist.
     *
     * @throws java.io.UncheckedIOException if the file exists or cannot be written
     */
    static void dumpThreads(Path file, DumpFormat format) {
        Reflective.call(DUMP_THREADS, BEAN, file.toString(), Reflective.enumConstant(FORMAT, format.name()));
    }

    /** The value of a VM option ({@code "LockingMode"}), or empty if this VM has no such option. */
    static Optional<String> vmOption(String name) {
        try {
            return Optional.of((String) Reflective.call(VM_OPTION_VALUE, Reflective.call(GET_VM_OPTION, BEAN, name)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // getVMOption's answer to an unknown option
        }
    }
}
