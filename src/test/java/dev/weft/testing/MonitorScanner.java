package dev.weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds monitors in compiled classes: methods with {@code ACC_SYNCHRONIZED} and methods containing a
 * {@code monitorenter} instruction (a {@code synchronized} block, including one inside a lambda body, which javac
 * compiles to a synthetic method of the enclosing class). Reads class files with ASM; loads nothing.
 *
 * <p>Stateless and thread-safe.
 */
public final class MonitorScanner {
    private MonitorScanner() {}

    /** How a method uses a monitor. */
    public enum Kind {
        SYNCHRONIZED_METHOD("synchronized method"),
        SYNCHRONIZED_BLOCK("synchronized block (monitorenter)");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** One method that uses a monitor. {@code className} is binary ({@code a.b.Outer$Inner}). */
    public record Violation(String className, String method, String descriptor, Kind kind) {
        /** {@code class#method}. */
        public String where() {
            return className + "#" + method;
        }

        @Override
        public String toString() {
            return where() + descriptor + ": " + kind;
        }
    }

    /** The result of a scan: what was read, and what was found. */
    public record Report(List<String> classesScanned, List<Violation> violations) {}

    /**
     * Scans every {@code .class} file under {@code root} (recursively, {@code module-info.class} excluded).
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static Report scanDirectory(Path root) {
        List<String> scanned = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                if (file.getFileName().toString().equals("module-info.class")) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    scanned.add(scan(in.readAllBytes(), violations));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot scan " + root, e);
        }
        return new Report(List.copyOf(scanned), List.copyOf(violations));
    }

    /** Scans the class file of {@code type}, found as a resource of its class loader. */
    public static List<Violation> scan(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No class file for " + type.getName());
            }
            List<Violation> violations = new ArrayList<>();
            scan(in.readAllBytes(), violations);
            return violations;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directory our main classes were loaded from ({@code target/classes}), found from the code source of
     * {@code anchor}.
     *
     * @throws IllegalStateException if {@code anchor} was not loaded from a directory (a jar, say)
     */
    public static Path classesDirectoryOf(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(location)) {
                throw new IllegalStateException(anchor.getName() + " was loaded from " + location
                        + ", not from a directory of class files");
            }
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the violations of one class file to {@code violations}; returns the class's binary name. */
    private static String scan(byte[] classFile, List<Violation> violations) {
        ClassReader reader = new ClassReader(classFile);
        String className = reader.getClassName().replace('/', '.');
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                    violations.add(new Violation(className, name, descriptor, Kind.SYNCHRONIZED_METHOD));
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    private boolean reported;

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.MONITORENTER && !reported) {
                            reported = true;
                            violations.add(new Violation(className, name, descriptor, Kind.SYNCHRONIZED_BLOCK));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return className;
    }
}
