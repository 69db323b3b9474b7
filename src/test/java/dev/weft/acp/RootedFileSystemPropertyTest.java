package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.testing.Props;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * Confinement holds for every path an agent can make of a few names over a tree whose symbolic links lead in and out
 * of the root, and back in from outside.
 *
 * <p>Each example builds a fresh fixture (below), then runs up to six reads and writes of paths made of segments
 * {@code a}, {@code b}, {@code ..}, {@code .}, {@code link-out}, {@code link-in}, followed by a leaf ({@code f}, a file
 * link leading in or out, a name that does not exist, or none). The oracle is the kernel: it resolves the path as
 * given ({@link Path#toRealPath()} of its longest existing prefix, {@code ..} after a link included) and says where
 * the path really leads. The property: a call is refused ({@code -32602}) whenever the path has a {@code ..} segment
 * or really leads outside the root; it succeeds whenever neither holds and the target can be read (an existing regular
 * file) or written (not a directory, under a directory); a read returns the content of the real target; and nothing
 * outside the root is ever read (no read returns an outside file's marker) or changed (the outside tree is the same
 * after every call). A failing example prints its seed; {@code -DQT_SEED=<seed>} replays it.
 *
 * <pre>
 * root/  f  file-link-in -> f  file-link-out -> /abs/outside/f  link-in -> a  link-out -> ../outside
 *        a/  f  file-link-out -> ../../outside/a/f  link-in -> ../b  link-out -> /abs/outside/a  b/f
 *        b/  f  link-in -> ../a/b  link-out -> ../../outside/b
 * outside/  f  file-link-in -> ../root/f  link-in -> ../root/a  link-out -> .
 *           a/  f  link-in -> ../../root/b
 *           b/  f
 * </pre>
 */
class RootedFileSystemPropertyTest {
    private static final List<String> SEGMENTS = List.of("a", "b", "..", ".", "link-out", "link-in");
    private static final List<String> LEAVES = List.of("f", "file-link-in", "file-link-out", "new", "");
    private static final String OUTSIDE_MARK = "OUT:";

    @TempDir
    Path base;

    private final AtomicInteger examples = new AtomicInteger();

    /** One call: read or write the path made of {@code segments} and {@code leaf} under the root. */
    record Call(boolean write, List<String> segments, String leaf) {
        @Override
        public String toString() {
            return (write ? "write " : "read ") + String.join("/", segments) + (leaf.isEmpty() ? "" : "/" + leaf);
        }
    }

    @Test
    void refusedIffDotDotOrLeadsOutsideAndNothingOutsideIsEverTouched() {
        Gen<Call> calls = booleans().all().zip(lists().of(arbitrary().pick(SEGMENTS)).ofSizeBetween(0, 5),
                arbitrary().pick(LEAVES), Call::new);
        Props.qt().withExamples(300).withShrinkCycles(50)
                .forAll(lists().of(calls).ofSizeBetween(1, 6))
                .checkAssert(this::check);
    }

    private void check(List<Call> script) {
        try {
            Path example = Files.createDirectory(base.resolve("example-" + examples.incrementAndGet()));
            Path root = Files.createDirectory(example.resolve("root"));
            Path outside = Files.createDirectory(example.resolve("outside"));
            buildFixture(root, outside);
            Map<String, String> outsideBefore = snapshot(outside);
            RootedFileSystem fs = RootedFileSystem.of(root);
            Path realRoot = root.toRealPath();
            int step = 0;
            for (Call call : script) {
                step++;
                checkCall(fs, root, realRoot, call, "written by step " + step);
                assertThat(snapshot(outside)).as("the tree outside the root after %s", call)
                        .isEqualTo(outsideBefore);
            }
            deleteTree(example);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkCall(RootedFileSystem fs, Path root, Path realRoot, Call call, String content)
            throws IOException {
        List<String> names = new ArrayList<>(call.segments());
        if (!call.leaf().isEmpty()) {
            names.add(call.leaf());
        }
        Path path = Path.of(root.toString(), names.toArray(String[]::new)); // as given: '..' and '.' kept
        boolean dotDot = call.segments().contains("..");
        Where where = where(path);
        boolean inside = where.target().startsWith(realRoot);
        Object outcome = outcome(() -> call.write() ? write(fs, path, content) : fs.readTextFile("s", path, null, null));

        if (dotDot || !inside) {
            assertThat(outcome).as("%s (%s, really %s): refused", call, path, where.target())
                    .isInstanceOfSatisfying(RpcErrorException.class,
                            e -> assertThat(e.error().code()).isEqualTo(RpcError.INVALID_PARAMS));
            return;
        }
        if (call.write()) {
            boolean writable = where.exists() ? !Files.isDirectory(where.target()) : where.prefixIsDirectory();
            if (writable) {
                assertThat(outcome).as("%s (%s): written", call, path).isEqualTo("written");
                assertThat(Files.readString(where.target())).as("%s: the real target's content", call)
                        .isEqualTo(content);
            } else {
                assertThat(outcome).as("%s (%s): fails", call, path).isInstanceOf(Exception.class);
            }
            return;
        }
        if (where.exists() && Files.isRegularFile(where.target())) {
            assertThat(outcome).as("%s (%s): read", call, path).isEqualTo(Files.readString(where.target()));
            assertThat((String) outcome).doesNotStartWith(OUTSIDE_MARK);
        } else if (!where.exists() && where.prefixIsDirectory()) {
            assertThat(outcome).as("%s (%s): missing", call, path).isInstanceOf(NoSuchFileException.class);
        } else {
            assertThat(outcome).as("%s (%s): fails", call, path).isInstanceOf(Exception.class);
        }
    }

    /**
     * Where the kernel takes {@code path}: the real path of its longest existing prefix with the rest appended
     * (normalized; the rest has no '..' when it matters), whether all of it exists, and whether that prefix is a
     * directory.
     */
    record Where(Path target, boolean exists, boolean prefixIsDirectory) {}

    private static Where where(Path path) throws IOException {
        for (int n = path.getNameCount(); n >= 0; n--) {
            Path prefix = n == 0 ? path.getRoot() : path.getRoot().resolve(path.subpath(0, n));
            Path real;
            try {
                real = prefix.toRealPath();
            } catch (IOException e) {
                continue; // missing, or a file where a directory should be
            }
            Path rest = n == path.getNameCount() ? Path.of("") : path.subpath(n, path.getNameCount());
            return new Where(real.resolve(rest).normalize(), n == path.getNameCount(), Files.isDirectory(real));
        }
        throw new AssertionError("not even / exists");
    }

    private interface Action {
        Object run() throws Exception;
    }

    private static Object outcome(Action action) {
        try {
            return action.run();
        } catch (Exception e) {
            return e;
        }
    }

    private static String write(RootedFileSystem fs, Path path, String content) throws IOException {
        fs.writeTextFile("s", path, content);
        return "written";
    }

    private static void buildFixture(Path root, Path outside) throws IOException {
        Files.writeString(root.resolve("f"), "in:f");
        Files.createSymbolicLink(root.resolve("file-link-in"), Path.of("f"));
        Files.createSymbolicLink(root.resolve("file-link-out"), outside.resolve("f"));
        Files.createSymbolicLink(root.resolve("link-in"), Path.of("a"));
        Files.createSymbolicLink(root.resolve("link-out"), Path.of("../outside"));
        Path a = Files.createDirectory(root.resolve("a"));
        Files.writeString(a.resolve("f"), "in:a/f");
        Files.createSymbolicLink(a.resolve("file-link-out"), Path.of("../../outside/a/f"));
        Files.createSymbolicLink(a.resolve("link-in"), Path.of("../b"));
        Files.createSymbolicLink(a.resolve("link-out"), outside.resolve("a"));
        Files.writeString(Files.createDirectory(a.resolve("b")).resolve("f"), "in:a/b/f");
        Path b = Files.createDirectory(root.resolve("b"));
        Files.writeString(b.resolve("f"), "in:b/f");
        Files.createSymbolicLink(b.resolve("link-in"), Path.of("../a/b"));
        Files.createSymbolicLink(b.resolve("link-out"), Path.of("../../outside/b"));

        Files.writeString(outside.resolve("f"), OUTSIDE_MARK + "f");
        Files.createSymbolicLink(outside.resolve("file-link-in"), Path.of("../root/f"));
        Files.createSymbolicLink(outside.resolve("link-in"), Path.of("../root/a"));
        Files.createSymbolicLink(outside.resolve("link-out"), Path.of("."));
        Path outA = Files.createDirectory(outside.resolve("a"));
        Files.writeString(outA.resolve("f"), OUTSIDE_MARK + "a/f");
        Files.createSymbolicLink(outA.resolve("link-in"), Path.of("../../root/b"));
        Files.writeString(Files.createDirectory(outside.resolve("b")).resolve("f"), OUTSIDE_MARK + "b/f");
    }

    /** Every entry under {@code dir}, links not followed: its kind and content or link target. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path entry : (Iterable<Path>) walk::iterator) {
                String key = dir.relativize(entry).toString();
                if (Files.isSymbolicLink(entry)) {
                    entries.put(key, "link " + Files.readSymbolicLink(entry));
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(key, "dir");
                } else {
                    entries.put(key, "file " + Files.readString(entry));
                }
            }
        }
        return entries;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(entry);
            }
        }
    }
}
