package dev.weft.acp;

import dev.weft.jsonrpc.RpcErrorException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link ClientFileSystem} confined to one directory tree, the root: the agent reads and writes UTF-8 text files
 * under it and nowhere else.
 *
 * <p><b>Confinement.</b> A path must be absolute, must have no {@code ..} segment, and once normalized must lie under
 * the root. Symbolic links may be used inside the root but never to leave it: a read, and a write of an existing file,
 * need the file's real path under the root's real path (a write through a symbolic link goes to the link's target,
 * and the link stays); a write of a new file needs the real path of its nearest existing ancestor there. A
 * refusal is an {@link RpcErrorException} with {@code -32602} (invalid params) whose message names the path and the
 * root, such as {@code "path /etc/passwd is outside the root /tmp/x"}. The checks are made by path before the file is
 * opened: they confine an agent, not a process on the host that swaps directories for links inside the root meanwhile
 * (see {@link RootedPaths}).
 *
 * <p><b>Reads</b> decode UTF-8 strictly: a file that is not UTF-8 text is refused ({@code -32602}), and so is one
 * larger than {@link #maxReadBytes()} (default {@value #DEFAULT_MAX_READ_BYTES} bytes), which is never read whole. A
 * missing file is a {@link NoSuchFileException} (the client answers {@code -32002}). {@code line} and {@code limit}
 * select whole lines, each with its line end ({@code \n}, {@code \r\n} or {@code \r}).
 *
 * <p><b>Writes</b> create the missing parent directories (inside the root), write the UTF-8 bytes to a temporary file
 * in the target's directory, force them to the device, and move that file over the target atomically where the file
 * system can ({@code rename}), else by a plain replacing move. A reader sees the old content or the new, never a part.
 * An existing target keeps its POSIX permissions; a new one gets the defaults of the process (its umask). Two
 * concurrent writes of one file leave one of the two contents whole.
 *
 * <p>Immutable and thread-safe: each call works on its own, with no state shared between calls. Calls block on the
 * file system.
 */
public final class RootedFileSystem implements ClientFileSystem {
    /** The default of {@link #maxReadBytes()}: 10 MiB. */
    public static final long DEFAULT_MAX_READ_BYTES = 10L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(RootedFileSystem.class.getName());
    /** Java arrays end a little below this; a larger file could not be decoded into one string anyway. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private final RootedPaths paths;
    private final long maxReadBytes;

    private RootedFileSystem(RootedPaths paths, long maxReadBytes) {
        this.paths = paths;
        this.maxReadBytes = maxReadBytes;
    }

    /**
     * A file system confined to {@code root}, reading files of up to {@value #DEFAULT_MAX_READ_BYTES} bytes. The root's
     * real path is resolved once, here; the root may be named by either path afterwards.
     *
     * @param root an existing directory; a relative path is taken against the current directory
     * @return the file system
     * @throws NoSuchFileException   if {@code root} does not exist
     * @throws NotDirectoryException if it is not a directory
     * @throws IOException           if its real path cannot be resolved
     */
    public static RootedFileSystem of(Path root) throws IOException {
        return new RootedFileSystem(RootedPaths.of(root), DEFAULT_MAX_READ_BYTES);
    }

    /**
     * The same root with another read limit.
     *
     * @param maxReadBytes the largest file, in bytes, that {@link #readTextFile} reads; larger ones are refused
     * @return the file system
     * @throws IllegalArgumentException if it is negative or above {@code Integer.MAX_VALUE - 8}
     */
    public RootedFileSystem withMaxReadBytes(long maxReadBytes) {
        if (maxReadBytes < 0 || maxReadBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxReadBytes must be between 0 and " + MAX_ARRAY_BYTES + ": "
                    + maxReadBytes);
        }
        return new RootedFileSystem(paths, maxReadBytes);
    }

    /** {@return the root, absolute and normalized, as the host named it} */
    public Path root() {
        return paths.root();
    }

    /** {@return the largest file, in bytes, that {@link #readTextFile} reads} */
    public long maxReadBytes() {
        return maxReadBytes;
    }

    /**
     * {@inheritDoc}
     *
     * @throws RpcErrorException   {@code -32602} if the path is refused (see the class comment), if it is not a regular
     *                             file, if the file is larger than {@link #maxReadBytes()} or not UTF-8 text, if
     *                             {@code line} is below 1 or {@code limit} below 0
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException         if reading fails
     */
    @Override
    public String readTextFile(String sessionId, Path path, Integer line, Integer limit) throws IOException {
        if (line != null && line < 1) {
            throw RootedPaths.refuse("line must be 1 or more, not " + line + " (reading " + path + ")");
        }
        if (limit != null && limit < 0) {
            throw RootedPaths.refuse("limit must not be negative, not " + limit + " (reading " + path + ")");
        }
        Path real = paths.existing(path, "path");
        if (!Files.isRegularFile(real)) {
            throw RootedPaths.refuse("path " + path + " is not a regular file");
        }
        String text = decode(path, readBounded(path, real));
        return selectLines(text, line == null ? 1 : line, limit == null ? Integer.MAX_VALUE : limit);
    }

    /**
     * {@inheritDoc}
     *
     * @throws RpcErrorException {@code -32602} if the path is refused (see the class comment), names a directory or
     *                           goes through a file, or if {@code content} is not valid Unicode (an unpaired
     *                           surrogate)
     * @throws IOException       if creating a directory or writing fails; nothing is left half-written
     */
    @Override
    public void writeTextFile(String sessionId, Path path, String content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path lexical = paths.lexical(path, "path");
        Path target;
        if (Files.exists(lexical, LinkOption.NOFOLLOW_LINKS)) {
            try {
                target = lexical.toRealPath(); // a symbolic link is written through; the link stays
            } catch (NoSuchFileException e) {
                throw RootedPaths.refuse("path " + path + " is a broken symbolic link (the root is " + paths.root()
                        + ")");
            }
            paths.requireInside(path, target, "path");
        } else {
            target = paths.creatable(path, "path");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw RootedPaths.refuse("path " + path + " is a directory");
        }
        ByteBuffer bytes = encode(path, content);
        Path directory = target.getParent();
        Files.createDirectories(directory);
        paths.requireInside(path, directory.toRealPath(), "path"); // again, now that it exists
        replace(path, target, bytes);
    }

    /**
     * Lines {@code line} (from 1) to {@code line + limit - 1} of {@code text}, each with its line end; empty when
     * {@code text} has fewer than {@code line} lines.
     */
    static String selectLines(String text, int line, int limit) {
        int start = 0;
        for (int current = 1; current < line; current++) {
            start = nextLineStart(text, start);
            if (start < 0) {
                return "";
            }
        }
        int end = start;
        for (int taken = 0; taken < limit; taken++) {
            int next = nextLineStart(text, end);
            if (next < 0) {
                break;
            }
            end = next;
        }
        return text.substring(start, end);
    }

    /** Where the line after the one starting at {@code from} starts, or -1 when no line starts at {@code from}. */
    private static int nextLineStart(String text, int from) {
        int length = text.length();
        if (from >= length) {
            return -1;
        }
        for (int i = from; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                return i + 1 < length && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return length;
    }

    /** Reads {@code real} whole, refusing it once it is seen to be larger than the limit. */
    private byte[] readBounded(Path path, Path real) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(real, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > maxReadBytes) {
                throw tooLarge(path, size, false);
            }
            // The size may change while we read: read up to one byte past the limit to tell.
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxReadBytes + 1, Math.max(size, 1) + 1));
            while (channel.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    if (buffer.capacity() > maxReadBytes) {
                        throw tooLarge(path, buffer.capacity(), true); // it grew while we read
                    }
                    ByteBuffer larger = ByteBuffer.allocate((int) Math.min(maxReadBytes + 1,
                            (long) buffer.capacity() * 2));
                    larger.put(buffer.flip());
                    buffer = larger;
                }
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return bytes;
        }
    }

    private RpcErrorException tooLarge(Path path, long size, boolean atLeast) {
        return RootedPaths.refuse("path " + path + " is " + (atLeast ? "at least " : "") + size
                + " bytes, more than the " + maxReadBytes + " bytes this client reads");
    }

    private static String decode(Path path, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw RootedPaths.refuse("path " + path + " is not UTF-8 text: " + e.getMessage());
        }
    }

    private static ByteBuffer encode(Path path, String content) {
        try {
            return StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            throw RootedPaths.refuse("the content for path " + path + " is not valid Unicode text: " + e.getMessage());
        }
    }

    /** Writes {@code bytes} to a new file beside {@code target} and moves it over {@code target}. */
    private static void replace(Path path, Path target, ByteBuffer bytes) throws IOException {
        Path temporary = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".weft-tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            keepPermissions(target, temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.log(Level.DEBUG, () -> "no atomic move for " + target + ", replacing it with a plain move");
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new IOException("writing " + path + " failed: " + e.getMessage(), e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Gives {@code temporary} the POSIX permissions of {@code target}, when both are known. */
    private static void keepPermissions(Path target, Path temporary) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null || !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return; // removed meanwhile: the new file keeps the defaults
        }
        Files.setPosixFilePermissions(temporary, permissions);
    }

    @Override
    public String toString() {
        return "RootedFileSystem[" + paths.root() + ", maxReadBytes=" + maxReadBytes + "]";
    }
}
