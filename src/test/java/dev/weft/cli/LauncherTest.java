package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the {@code ./weft} launcher with fake JDKs: directories with a {@code release} file and a {@code bin/java}
 * script that prints its arguments. The environment has no JAVA_HOME unless a test sets one, a PATH whose
 * {@code java} is a fake JDK 17 and which holds no Maven, and {@code WEFT_JVM_DIRS} pointing at a temporary directory,
 * so nothing on this machine's own JDKs or Maven can leak in.
 *
 * <p>Selection tests run the repository's own {@code ./weft} with {@code WEFT_LAUNCHER_DRY_RUN=1}, which builds and
 * runs nothing. Tests of building and running use a copy of the script in a temporary repository, with a fake
 * {@code mvn} where one is needed; no test runs Maven, which would clobber the build running this test.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {

    /** Hard limit for one launcher run; the script does no real work, so this only catches a hang. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The commands the launcher may use; linked into a directory of their own so that PATH holds nothing else. */
    private static final List<String> TOOLS = List.of(
            "bash", "sh", "env", "readlink", "sed", "head", "tail", "sort", "cut", "find", "mktemp", "rm", "mkdir",
            "cat", "flock", "dirname", "touch", "pwd", "printf");

    private static final Path REPOSITORY = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    @TempDir
    Path tmp;

    private Path jvms;
    private Path java17OnPath;
    private Path tools;

    @BeforeEach
    void fakeMachine() throws IOException {
        jvms = Files.createDirectories(tmp.resolve("jvms"));
        java17OnPath = fakeJdk(tmp.resolve("path-jdk-17"), "17.0.15");
        tools = Files.createDirectories(tmp.resolve("tools"));
        for (String tool : TOOLS) {
            for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate)) {
                    Files.createSymbolicLink(tools.resolve(tool), candidate);
                    break;
                }
            }
        }
    }

    @Test
    void picksJavaHomeWhenItIs21OrNewer() throws Exception {
        Path java21 = fakeJdk(tmp.resolve("home-21"), "21.0.5");
        fakeJdk(jvms.resolve("jdk-25"), "25.0.3");

        Map<String, String> choice = dryRun(Map.of("JAVA_HOME", java21.toString()));

        assertThat(choice).containsEntry("java_home", java21.toString());
        assertThat(choice.get("command"))
                .startsWith(java21.resolve("bin/java") + " -jar " + REPOSITORY.toRealPath() + "/target/weft-")
                .endsWith(" --version");
        assertNoJvmStarted(java21, jvms.resolve("jdk-25"));
    }

    @Test
    void skipsJavaHomeOlderThan21() throws Exception {
        Path java17 = fakeJdk(tmp.resolve("home-17"), "17.0.15");
        Path java21 = fakeJdk(jvms.resolve("jdk-21"), "21.0.5");

        Map<String, String> choice = dryRun(Map.of("JAVA_HOME", java17.toString()));

        assertThat(choice).containsEntry("java_home", java21.toString());
    }

    @Test
    void picksJavaOnPathWhen21OrNewerFollowingSymlinks() throws Exception {
        Path java22 = fakeJdk(tmp.resolve("path-jdk-22"), "22.0.2");
        fakeJdk(jvms.resolve("jdk-25"), "25.0.3");
        // Like /usr/bin/java -> /etc/alternatives/java -> the JDK's bin/java, with one relative link.
        Path alternatives = Files.createDirectories(tmp.resolve("alternatives"));
        Files.createSymbolicLink(alternatives.resolve("java"), java22.resolve("bin/java"));
        Path bin = Files.createDirectories(tmp.resolve("usr-bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of("../alternatives/java"));

        Map<String, String> choice = dryRun(Map.of("PATH", bin + ":" + tools));

        assertThat(choice).containsEntry("java_home", java22.toString());
    }

    @Test
    void picksTheNewestJdkUnderTheSearchDirectories() throws Exception {
        fakeJdk(jvms.resolve("jdk-21.0.9"), "21.0.9");
        Path newest = fakeJdk(jvms.resolve("jdk-21.0.10"), "21.0.10"); // newer, though it sorts first as text
        fakeJdk(jvms.resolve("jdk-17"), "17.0.15");
        fakeJdk(jvms.resolve("jdk-8"), "1.8.0_392");
        Files.createDirectories(jvms.resolve("openjdk-17-sources-only")); // no bin/java: not a JDK

        Map<String, String> choice = dryRun(Map.of());

        assertThat(choice).containsEntry("java_home", newest.toString());
    }

    @Test
    void searchDirectoriesAreColonSeparatedAndTheNewestOfAllWins() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other-jvms"));
        fakeJdk(jvms.resolve("jdk-21"), "21.0.5");
        Path java25 = fakeJdk(other.resolve("jdk-25"), "25.0.3");

        Map<String, String> choice = dryRun(Map.of("WEFT_JVM_DIRS", jvms + ":" + other));

        assertThat(choice).containsEntry("java_home", java25.toString());
    }

    @Test
    void asksTheJvmOnlyWhenAJdkHasNoReleaseFile() throws Exception {
        Path noRelease = fakeJdk(jvms.resolve("jdk-23"), "23.0.1");
        Files.delete(noRelease.resolve("release"));
        Path withRelease = fakeJdk(jvms.resolve("jdk-22"), "22.0.2");

        Map<String, String> choice = dryRun(Map.of());

        assertThat(choice).containsEntry("java_home", noRelease.toString());
        assertThat(Files.readString(noRelease.resolve("invocations"))).contains("-version");
        assertNoJvmStarted(withRelease);
    }

    @Test
    void failsWithOneLineAndExitOneWhenNoJdk21OrNewerExists() throws Exception {
        Path java17 = fakeJdk(tmp.resolve("home-17"), "17.0.15");
        fakeJdk(jvms.resolve("jdk-17"), "17.0.15");
        fakeJdk(jvms.resolve("jdk-8"), "1.8.0_392");

        Result result = launch(REPOSITORY.resolve("weft"), env(Map.of("JAVA_HOME", java17.toString(),
                "WEFT_LAUNCHER_DRY_RUN", "1")), tmp, "--version");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("weft: no JDK 21 or newer found (checked JAVA_HOME, java on PATH, " + jvms
                + "); install one or set JAVA_HOME\n");
    }

    @Test
    void dryRunSaysWhetherTheJarIsStale() throws Exception {
        Path repo = fakeRepository();
        fakeJdk(jvms.resolve("jdk-21"), "21.0.5");
        Map<String, String> env = env(Map.of("WEFT_LAUNCHER_DRY_RUN", "1"));

        Map<String, String> fresh = parse(launch(repo.resolve("weft"), env, tmp, "--help"));
        Files.setLastModifiedTime(repo.resolve("src/main/java/A.java"), FileTime.from(Instant.now().plusSeconds(60)));
        Map<String, String> stale = parse(launch(repo.resolve("weft"), env, tmp, "--help"));
        Files.delete(repo.resolve("target/weft-1.2.3.jar"));
        Map<String, String> missing = parse(launch(repo.resolve("weft"), env, tmp, "--help"));

        assertThat(fresh).containsEntry("build", "no");
        assertThat(stale).containsEntry("build", "yes");
        assertThat(missing).containsEntry("build", "yes");
    }

    @Test
    void runsTheJarWithArgumentsUnchangedFromAnyDirectoryThroughSymlinks() throws Exception {
        Path repo = fakeRepository();
        Path java21 = fakeJdk(jvms.resolve("jdk-21"), "21.0.5");
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("weft"), Path.of("../repo/weft"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));

        Result result = launch(links.resolve("weft"), env(Map.of()), elsewhere, "a b", "", "*", "$HOME");

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).containsExactly(
                "java " + java21.resolve("bin/java"),
                "arg[-jar]",
                "arg[" + repo.toRealPath().resolve("target/weft-1.2.3.jar") + "]",
                "arg[a b]",
                "arg[]",
                "arg[*]",
                "arg[$HOME]");
    }

    @Test
    void runsAJavaSourceFileWithTheJarAndItsLibrariesOnTheClassPath() throws Exception {
        Path repo = fakeRepository();
        Path java21 = fakeJdk(jvms.resolve("jdk-21"), "21.0.5");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("Hello.java"), "class Hello {}");

        Result result = launch(repo.resolve("weft"), env(Map.of()), work, "Hello.java", "a b", "--help");
        Map<String, String> dryRun = parse(launch(repo.resolve("weft"), env(Map.of("WEFT_LAUNCHER_DRY_RUN", "1")),
                work, "Hello.java", "a b"));

        Path real = repo.toRealPath();
        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).containsExactly(
                "java " + java21.resolve("bin/java"),
                "arg[-cp]",
                "arg[" + real.resolve("target/weft-1.2.3.jar") + ":" + real.resolve("target/lib") + "/*]",
                "arg[Hello.java]",
                "arg[a b]",
                "arg[--help]");
        assertThat(dryRun).containsEntry("command", java21.resolve("bin/java") + " -cp "
                + real.resolve("target/weft-1.2.3.jar") + ":" + real.resolve("target/lib") + "/* Hello.java a\\ b");
    }

    @Test
    void aJavaSourceFileThatDoesNotExistIsOneLineAndExitOne() throws Exception {
        Path repo = fakeRepository();
        Path java21 = fakeJdk(jvms.resolve("jdk-21"), "21.0.5");

        Result result = launch(repo.resolve("weft"), env(Map.of()), tmp, "Missing.java");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("weft: no such Java source file: Missing.java\n");
        assertNoJvmStarted(java21);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void theExitStatusOfTheCommandLineIsTheLaunchers(int status) throws Exception {
        Path repo = fakeRepository();
        fakeJdk(jvms.resolve("jdk-21"), "21.0.5");

        Result result = launch(repo.resolve("weft"), env(Map.of("FAKE_JAVA_STATUS", Integer.toString(status))), tmp,
                "tools", "call", "echo", "--", "server");

        assertThat(result.status()).isEqualTo(status);
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).endsWith("arg[tools]", "arg[call]", "arg[echo]", "arg[--]", "arg[server]");
    }

    @Test
    void buildsWithMavenOnTheChosenJdkWhenTheJarIsStale() throws Exception {
        Path repo = fakeRepository();
        Files.delete(repo.resolve("target/weft-1.2.3.jar"));
        Path java21 = fakeJdk(jvms.resolve("jdk-21"), "21.0.5");
        Path mavenLog = tmp.resolve("mvn.log");
        Path maven = fakeMaven("""
                printf 'args=%s\\ncwd=%s\\nJAVA_HOME=%s\\n' "$*" "$(pwd -P)" "$JAVA_HOME" > '%LOG%'
                echo "Maven chatter that the launcher hides"
                mkdir -p target/lib && touch target/weft-1.2.3.jar
                """.replace("%LOG%", mavenLog.toString()));

        Result result = launch(repo.resolve("weft"), env(Map.of("PATH", java17OnPath.resolve("bin") + ":" + maven
                + ":" + tools)), tmp, "--version");

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).containsExactly(
                "java " + java21.resolve("bin/java"),
                "arg[-jar]",
                "arg[" + repo.toRealPath().resolve("target/weft-1.2.3.jar") + "]",
                "arg[--version]");
        assertThat(Files.readString(mavenLog)).isEqualTo("args=-q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package\ncwd=" + repo.toRealPath()
                + "\nJAVA_HOME=" + java21 + "\n");
    }

    @Test
    void failedBuildShowsMavenOutputAndExitsOne() throws Exception {
        Path repo = fakeRepository();
        Files.delete(repo.resolve("target/weft-1.2.3.jar"));
        fakeJdk(jvms.resolve("jdk-21"), "21.0.5");
        Path maven = fakeMaven("echo '[ERROR] COMPILATION ERROR in A.java'; exit 1\n");

        Result result = launch(repo.resolve("weft"), env(Map.of("PATH", java17OnPath.resolve("bin") + ":" + maven
                + ":" + tools)), tmp, "--version");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).containsExactly(
                "[ERROR] COMPILATION ERROR in A.java",
                "weft: build failed: mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package"
                + " (exit 1)");
    }

    @Test
    void failsWithOneLineAndExitOneWhenMavenIsNeededButMissing() throws Exception {
        Path repo = fakeRepository();
        Files.delete(repo.resolve("target/weft-1.2.3.jar"));
        fakeJdk(jvms.resolve("jdk-21"), "21.0.5");

        Result result = launch(repo.resolve("weft"), env(Map.of()), tmp, "--version");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("weft: mvn not found on PATH; Maven 3.8+ is needed to build"
                + " target/weft-*.jar (install Maven)\n");
    }

    // ---- fakes ----

    /** A JDK home whose release file says {@code version} and whose java prints its arguments, one per line. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version
                + "\"\nJAVA_VERSION_DATE=\"2025-01-01\"\n");
        executable(home.resolve("bin/java"), """
                #!/bin/sh
                echo "$*" >> "${0%/bin/java}/invocations"
                if [ "$1" = -version ]; then echo 'openjdk version "%VERSION%" 2025-01-01' >&2; exit 0; fi
                echo "java $0"
                for arg in "$@"; do echo "arg[$arg]"; done
                exit "${FAKE_JAVA_STATUS:-0}"
                """.replace("%VERSION%", version));
        return home;
    }

    /** A directory holding an {@code mvn} script with the given body. */
    private Path fakeMaven(String body) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("maven-bin"));
        executable(dir.resolve("mvn"), "#!/bin/sh\n" + body);
        return dir;
    }

    /** A repository with a copy of the launcher and a jar built after its sources. */
    private Path fakeRepository() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.copy(REPOSITORY.resolve("weft"), repo.resolve("weft"), StandardCopyOption.COPY_ATTRIBUTES);
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        for (String source : List.of("pom.xml", "src/main/java/A.java")) {
            Path file = repo.resolve(source);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
            Files.setLastModifiedTime(file, hourAgo);
        }
        Files.createDirectories(repo.resolve("target/lib"));
        Files.writeString(repo.resolve("target/weft-1.2.3-sources.jar"), ""); // newest, but never the one to run
        Files.writeString(repo.resolve("target/weft-1.2.3.jar"), "");
        Files.setLastModifiedTime(repo.resolve("target/weft-1.2.3.jar"), FileTime.from(Instant.now()));
        Files.setLastModifiedTime(repo.resolve("target/weft-1.2.3-sources.jar"),
                FileTime.from(Instant.now().plusSeconds(1)));
        return repo;
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void assertNoJvmStarted(Path... homes) {
        for (Path home : homes) {
            assertThat(home.resolve("invocations")).as("java of %s was started", home).doesNotExist();
        }
    }

    // ---- running the launcher ----

    private record Result(int status, String out, String err) {}

    /** The base environment with {@code overrides} applied: PATH has a fake java 17 and no mvn; no JAVA_HOME. */
    private Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", java17OnPath.resolve("bin") + ":" + tools);
        env.put("WEFT_JVM_DIRS", jvms.toString());
        env.putAll(overrides);
        return env;
    }

    private Map<String, String> dryRun(Map<String, String> overrides) throws Exception {
        Map<String, String> withDryRun = new HashMap<>(overrides);
        withDryRun.put("WEFT_LAUNCHER_DRY_RUN", "1");
        return parse(launch(REPOSITORY.resolve("weft"), env(withDryRun), tmp, "--version"));
    }

    private static Map<String, String> parse(Result result) {
        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.err()).isEmpty();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : result.out().lines().toList()) {
            int eq = line.indexOf('=');
            assertThat(eq).as("dry-run line %s", line).isPositive();
            fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(fields).containsOnlyKeys("java_home", "build", "command");
        return fields;
    }

    private Result launch(Path launcher, Map<String, String> env, Path directory, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            fail("launcher still running after %s; stdout: %s; stderr: %s", TIMEOUT,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
