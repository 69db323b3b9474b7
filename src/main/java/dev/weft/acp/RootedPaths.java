package dev.weft.acp;

import dev.weft.jsonrpc.RpcErrorException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Confinement of the paths an agent names to one directory tree, the root: the checks {@link RootedFileSystem} and
 * {@link ProcessTerminals} share.
 *
 * <p>A path is accepted in three steps, each of which refuses with {@code -32602} (an {@link RpcErrorException} whose
 * message names the path and the root):
 * <ol>
 *   <li>it is absolute and has no {@code ..} segment (a {@code ..} after a symbolic link means something else to the
 *       kernel than to a lexical check, so it is never accepted, even where it would stay inside);</li>
 *   <li>normalized ({@code .} segments dropped), it lies under the root as the host named it or under the root's real
 *       path (so that an agent may use either when the root's path goes through a symbolic link, as {@code /tmp} does
 *       on some systems);</li>
 *   <li>what it names in the file system lies under the root's real path: for an existing file, its real path; for
 *       one that does not exist yet, the real path of its nearest existing ancestor.</li>
 * </ol>
 *
 * <p><b>What this does not do.</b> The checks are made before the file is used, by path. A process on the host that
 * swaps a directory inside the root for a symbolic link between the check and the use can defeat them; the root
 * confines a cooperative agent's mistakes and a confused agent's reach, not an adversary who can already write inside
 * the root. Callers narrow the window by using the real path the check returns rather than the agent's path.
 *
 * <p>Immutable and thread-safe. The checks read the file system and may block on it.
 */
final class RootedPaths {
    /** The root as the host named it, absolute and normalized. */
    private final Path root;
    /** The root's real path: every accepted file lies under it. */
    private final Path realRoot;

    private RootedPaths(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    /**
     * @throws NoSuchFileException   if {@code root} does not exist
     * @throws NotDirectoryException if it is not a directory
     * @throws IOException           if its real path cannot be found
     */
    static RootedPaths of(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
        Path absolute = root.toAbsolutePath().normalize();
        Path real = absolute.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(absolute + " (the root must be a directory)");
        }
        return new RootedPaths(absolute, real);
    }

    /** The root as the host named it, absolute and normalized. */
    Path root() {
        return root;
    }

    /** The root's real path. */
    Path realRoot() {
        return realRoot;
    }

    /**
     * Steps 1 and 2: the agent's path, normalized.
     *
     * @param what how the agent's request calls the path ({@code "path"}, {@code "cwd"}), for the message
     * @throws RpcErrorException {@code -32602} if the path is relative, has a {@code ..} segment, or lies outside
     */
    Path lexical(Path path, String what) {
        Objects.requireNonNull(path, what);
        if (!path.isAbsolute()) {
            throw refuse(what + " " + path + " is not absolute (the root is " + root + ")");
        }
        for (Path segment : path) {
            if (segment.toString().equals("..")) {
                throw refuse(what + " " + path + " has a '..' segment, which is not allowed (the root is " + root
                        + ")");
            }
        }
        Path normalized = path.normalize();
        if (!normalized.startsWith(root) && !normalized.startsWith(realRoot)) {
            throw refuse(what + " " + path + " is outside the root " + root);
        }
        return normalized;
    }

    /**
     * All three steps for something that must exist: its real path, under the real root.
     *
     * @throws RpcErrorException  {@code -32602} if the path is refused, also when it does not exist and its nearest
     *                            existing ancestor lies outside the root or is not a directory
     * @throws NoSuchFileException if it does not exist (and would lie inside)
     * @throws IOException         if the file system cannot tell
     */
    Path existing(Path path, String what) throws IOException {
        Path lexical = lexical(path, what);
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (FileSystemException e) {
            // Missing, or a file where a directory should be: refuse first if what exists of the path leads outside.
            realDirectory(path, nearestExistingLexical(lexical), what);
            if (e instanceof NoSuchFileException) {
                throw new NoSuchFileException(path.toString(), null, "no such file (the root is " + root + ")");
            }
            throw e;
        }
        requireInside(path, real, what);
        return real;
    }

    /**
     * All three steps for something that need not exist yet: the real path of its nearest existing ancestor (which is
     * a directory under the real root) with the missing rest of the agent's path appended. When {@code path} itself
     * exists, that is its parent's real path with its own name appended: a final symbolic link is not followed here.
     *
     * @throws RpcErrorException {@code -32602} if the path is refused, or if its nearest existing ancestor is not a
     *                           directory
     * @throws IOException        if the file system cannot tell
     */
    Path creatable(Path path, String what) throws IOException {
        Path lexical = lexical(path, what);
        Path parent = lexical.getParent();
        if (parent == null) {
            throw refuse(what + " " + path + " is the file system's root, a directory (the root is " + root + ")");
        }
        Path ancestor = nearestExistingLexical(parent);
        Path realAncestor = realDirectory(path, ancestor, what);
        return realAncestor.resolve(ancestor.relativize(parent)).resolve(lexical.getFileName());
    }

    /**
     * Refuses unless {@code real} (a real path) lies under the real root.
     *
     * @throws RpcErrorException {@code -32602} naming {@code path}, as the agent sent it, and the root
     */
    void requireInside(Path path, Path real, String what) {
        if (!real.startsWith(realRoot)) {
            throw refuse(what + " " + path + " leads outside the root " + root + " through a symbolic link");
        }
    }

    /**
     * The real path of {@code ancestor}, an existing ancestor of {@code path} (or the path itself), which must be a
     * directory inside the root.
     */
    private Path realDirectory(Path path, Path ancestor, String what) throws IOException {
        Path real;
        try {
            real = ancestor.toRealPath();
        } catch (NoSuchFileException e) {
            throw refuse(what + " " + path + " goes through a broken symbolic link, " + ancestor + " (the root is "
                    + root + ")");
        }
        requireInside(path, real, what);
        if (!Files.isDirectory(real)) {
            throw refuse(what + " " + path + ": " + ancestor + " is not a directory (the root is " + root + ")");
        }
        return real;
    }

    /** The nearest ancestor of {@code start} (itself included) that exists, as a link or otherwise. */
    private static Path nearestExistingLexical(Path start) {
        Path ancestor = start;
        while (ancestor != null && !Files.exists(ancestor, LinkOption.NOFOLLOW_LINKS)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new IllegalStateException("no ancestor of " + start + " exists, not even the file system's root");
        }
        return ancestor;
    }

    static RpcErrorException refuse(String message) {
        return RpcErrorException.invalidParams(message);
    }
}
