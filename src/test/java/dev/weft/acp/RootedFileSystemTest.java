package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedFileSystemTest {
    private static final String SESSION = "s1";

    @TempDir
    Path base;
    Path root;
    Path outside;
    RootedFileSystem fs;

    @BeforeEach
    void fixture() throws IOException {
        root = Files.createDirectory(base.resolve("root"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "outside\n");
        fs = RootedFileSystem.of(root);
    }

    /** The refusal {@code call} throws: an {@code -32602} whose message contains {@code words}. */
    private static RpcErrorException refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            String... words) {
        RpcErrorException refusal = catchThrowableOfType(RpcErrorException.class, call);
        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.error().code()).isEqualTo(RpcError.INVALID_PARAMS);
        assertThat(refusal.error().message()).contains(words);
        return refusal;
    }

    @Test
    void writesThenReadsInsideTheRoot() throws IOException {
        Path file = root.resolve("notes.txt");
        fs.writeTextFile(SESSION, file, "hello\nwörld ✓\n");

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("hello\nwörld ✓\n");
        assertThat(fs.readTextFile(SESSION, file, null, null)).isEqualTo("hello\nwörld ✓\n");
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).as("no temporary file left beside the target").containsExactly(file);
        }
    }

    @Test
    void writeReplacesTheContentAndKeepsThePermissions() throws IOException {
        Path file = Files.writeString(root.resolve("run.sh"), "old, and longer than the new content\n");
        Set<PosixFilePermission> executable = PosixFilePermissions.fromString("rwxr-x---");
        Files.setPosixFilePermissions(file, executable);

        fs.writeTextFile(SESSION, file, "new\n");

        assertThat(Files.readString(file)).isEqualTo("new\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(executable);
    }

    @Test
    void writeCreatesMissingParentDirectories() throws IOException {
        Path file = root.resolve("a/b/c/new.txt");

        fs.writeTextFile(SESSION, file, "deep");

        assertThat(Files.readString(file)).isEqualTo("deep");
    }

    @Test
    void lineAndLimitSelectWholeLinesWithTheirEnds() throws IOException {
        Path file = Files.writeString(root.resolve("lines.txt"), "one\ntwo\r\nthree\rfour\nfive");

        assertThat(fs.readTextFile(SESSION, file, 2, 1)).isEqualTo("two\r\n");
        assertThat(fs.readTextFile(SESSION, file, 2, 2)).isEqualTo("two\r\nthree\r");
        assertThat(fs.readTextFile(SESSION, file, 4, null)).isEqualTo("four\nfive");
        assertThat(fs.readTextFile(SESSION, file, null, 1)).isEqualTo("one\n");
        assertThat(fs.readTextFile(SESSION, file, 5, 10)).isEqualTo("five");
        assertThat(fs.readTextFile(SESSION, file, 6, null)).as("past the end").isEmpty();
        assertThat(fs.readTextFile(SESSION, file, 1, 0)).as("no lines").isEmpty();
    }

    @Test
    void lineBelowOneOrNegativeLimitIsRefused() throws IOException {
        Path file = Files.writeString(root.resolve("lines.txt"), "one\n");

        refused(() -> fs.readTextFile(SESSION, file, 0, null), "line must be 1 or more, not 0");
        refused(() -> fs.readTextFile(SESSION, file, 1, -1), "limit must not be negative, not -1");
    }

    @Test
    void relativePathIsRefused() {
        refused(() -> fs.readTextFile(SESSION, Path.of("notes.txt"), null, null),
                "path notes.txt is not absolute", root.toString());
        refused(() -> fs.writeTextFile(SESSION, Path.of("notes.txt"), "x"), "path notes.txt is not absolute");
    }

    @Test
    void dotDotSegmentIsRefusedEvenWhenItStaysInside() throws IOException {
        Files.createDirectory(root.resolve("a"));
        Files.writeString(root.resolve("b.txt"), "b");
        Path staysInside = Path.of(root + "/a/../b.txt");
        Path leaves = Path.of(root + "/../outside/secret.txt");

        refused(() -> fs.readTextFile(SESSION, staysInside, null, null), "'..'", root.toString());
        refused(() -> fs.readTextFile(SESSION, leaves, null, null), "'..'");
        refused(() -> fs.writeTextFile(SESSION, leaves, "overwritten"), "'..'");
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside\n");
    }

    @Test
    void pathOutsideTheRootIsRefused() {
        Path secret = outside.resolve("secret.txt");

        refused(() -> fs.readTextFile(SESSION, secret, null, null),
                "path " + secret + " is outside the root " + root);
        refused(() -> fs.writeTextFile(SESSION, outside.resolve("new.txt"), "x"), "is outside the root " + root);
        assertThat(outside.resolve("new.txt")).doesNotExist();
    }

    @Test
    void rootWithACommonPrefixIsNotInside() throws IOException {
        Path sibling = Files.createDirectory(base.resolve("root-sibling"));
        Files.writeString(sibling.resolve("f"), "sibling");

        refused(() -> fs.readTextFile(SESSION, sibling.resolve("f"), null, null), "is outside the root");
    }

    @Test
    void readThroughADirectoryLinkLeadingOutIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("out"), outside);
        Path viaLink = root.resolve("out/secret.txt");

        refused(() -> fs.readTextFile(SESSION, viaLink, null, null),
                "path " + viaLink + " leads outside the root " + root + " through a symbolic link");
        refused(() -> fs.readTextFile(SESSION, root.resolve("out/missing.txt"), null, null),
                "leads outside the root");
    }

    @Test
    void readOfAFileLinkLeadingOutIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));

        refused(() -> fs.readTextFile(SESSION, link, null, null), "leads outside the root");
    }

    @Test
    void writeThroughADirectoryLinkLeadingOutIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("out"), outside);

        refused(() -> fs.writeTextFile(SESSION, root.resolve("out/secret.txt"), "overwritten"),
                "leads outside the root");
        refused(() -> fs.writeTextFile(SESSION, root.resolve("out/new/deeper.txt"), "created"),
                "leads outside the root");

        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside\n");
        assertThat(outside.resolve("new")).doesNotExist();
    }

    @Test
    void writeOfAFileLinkLeadingOutIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));
        Path dangling = Files.createSymbolicLink(root.resolve("planted.txt"), outside.resolve("planted.txt"));

        refused(() -> fs.writeTextFile(SESSION, link, "overwritten"), "leads outside the root");
        refused(() -> fs.writeTextFile(SESSION, dangling, "planted"), "broken symbolic link");

        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside\n");
        assertThat(outside.resolve("planted.txt")).doesNotExist();
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void linksThatStayInsideAreFollowedAndAWrittenLinkStaysALink() throws IOException {
        Path real = Files.writeString(Files.createDirectory(root.resolve("real")).resolve("f.txt"), "real\n");
        Path dirLink = Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        Path fileLink = Files.createSymbolicLink(root.resolve("f-link.txt"), Path.of("real/f.txt"));

        assertThat(fs.readTextFile(SESSION, dirLink.resolve("f.txt"), null, null)).isEqualTo("real\n");
        fs.writeTextFile(SESSION, fileLink, "through the link\n");
        fs.writeTextFile(SESSION, dirLink.resolve("g.txt"), "beside\n");

        assertThat(Files.isSymbolicLink(fileLink)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("through the link\n");
        assertThat(Files.readString(root.resolve("real/g.txt"))).isEqualTo("beside\n");
    }

    @Test
    void existingFileWhoseRealPathIsInsideIsServedEvenThroughALinkOutAndBackIn() throws IOException {
        Path inside = Files.writeString(root.resolve("f.txt"), "inside\n");
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(outside.resolve("back"), inside);
        Path roundTrip = root.resolve("out/back");

        assertThat(fs.readTextFile(SESSION, roundTrip, null, null)).isEqualTo("inside\n");
        fs.writeTextFile(SESSION, roundTrip, "again\n");
        assertThat(Files.readString(inside)).isEqualTo("again\n");
        assertThat(Files.isSymbolicLink(outside.resolve("back"))).as("the link outside is left alone").isTrue();
        refused(() -> fs.writeTextFile(SESSION, root.resolve("out/new.txt"), "x"), "leads outside the root");
    }

    @Test
    void rootNamedThroughALinkAcceptsBothNames() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(base.resolve("root-link"), root);
        RootedFileSystem linked = RootedFileSystem.of(linkedRoot);

        linked.writeTextFile(SESSION, linkedRoot.resolve("a.txt"), "by the link");
        assertThat(linked.readTextFile(SESSION, root.resolve("a.txt"), null, null)).isEqualTo("by the link");
        assertThat(linked.root()).isEqualTo(linkedRoot);
    }

    @Test
    void missingFileIsNoSuchFile() {
        Path missing = root.resolve("missing.txt");

        assertThatThrownBy(() -> fs.readTextFile(SESSION, missing, null, null))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void fileLargerThanTheLimitIsRefused() throws IOException {
        Path file = Files.writeString(root.resolve("big.txt"), "x".repeat(101));
        RootedFileSystem small = fs.withMaxReadBytes(100);

        refused(() -> small.readTextFile(SESSION, file, null, null), "path " + file + " is 101 bytes",
                "100 bytes");
        assertThat(small.readTextFile(SESSION, Files.writeString(file, "x".repeat(100)), null, null)).hasSize(100);
        assertThat(fs.maxReadBytes()).isEqualTo(RootedFileSystem.DEFAULT_MAX_READ_BYTES);
        assertThatThrownBy(() -> fs.withMaxReadBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fileThatIsNotUtf8IsRefused() throws IOException {
        Path file = Files.write(root.resolve("bin"), new byte[] {'o', 'k', (byte) 0xC3, '('});

        refused(() -> fs.readTextFile(SESSION, file, null, null), "path " + file + " is not UTF-8 text");
    }

    @Test
    void contentThatIsNotUnicodeIsRefusedAndNothingIsWritten() {
        Path file = root.resolve("half.txt");

        refused(() -> fs.writeTextFile(SESSION, file, "a\uD800b"), "not valid Unicode");
        assertThat(file).doesNotExist();
    }

    @Test
    void directoriesAreNeitherReadNorWritten() throws IOException {
        Path dir = Files.createDirectory(root.resolve("dir"));
        Files.writeString(root.resolve("file"), "f");

        refused(() -> fs.readTextFile(SESSION, dir, null, null), "is not a regular file");
        refused(() -> fs.writeTextFile(SESSION, dir, "x"), "is a directory");
        refused(() -> fs.writeTextFile(SESSION, root, "x"), "is a directory");
        refused(() -> fs.writeTextFile(SESSION, root.resolve("file/under.txt"), "x"), "is not a directory");
    }

    @Test
    void rootMustBeAnExistingDirectory() throws IOException {
        Path file = Files.writeString(base.resolve("plain"), "");

        assertThatThrownBy(() -> RootedFileSystem.of(base.resolve("missing")))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> RootedFileSystem.of(file)).isInstanceOf(NotDirectoryException.class)
                .hasMessageContaining(file.toString());
    }
}
