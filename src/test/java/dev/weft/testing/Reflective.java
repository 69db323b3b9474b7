package dev.weft.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls into JDK modules that module {@code dev.weft} does not read ({@code java.management}, {@code jdk.management},
 * {@code jdk.jfr}).
 *
 * <p>Why: the compiler plugin compiles test sources patched into module {@code dev.weft} ({@code --patch-module}),
 * and {@code module-info.java} rightly does not require those modules, so test code cannot name their types. Tests
 * run on the class path ({@code useModulePath=false}), where the unnamed module reads every module, so reflection on
 * their exported public types works. Adding {@code --add-modules jdk.jfr,jdk.management} and
 * {@code --add-reads dev.weft=jdk.jfr,jdk.management,java.management} to the test compilation would let this class go
 * (see the package documentation).
 *
 * <p>Methods are always looked up on the exported public type that declares them, never on the runtime class of the
 * receiver, which may live in a package the JDK does not export.
 */
final class Reflective {
    private Reflective() {}

    static Class<?> type(String name) {
        try {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("This JVM lacks " + name, e);
        }
    }

    static Method method(Class<?> declaringType, String name, Class<?>... parameterTypes) {
        try {
            return declaringType.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("This JVM lacks " + declaringType.getName() + "." + name, e);
        }
    }

    /** Invokes {@code method}; rethrows what it threw (an {@link IOException} as {@link UncheckedIOException}). */
    static Object call(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(method.getName() + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot call " + method, e);
        }
    }

    /** The constant of an enum type by name. */
    static Object enumConstant(Class<?> enumType, String name) {
        for (Object constant : enumType.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalStateException(enumType.getName() + " has no constant " + name);
    }
}
