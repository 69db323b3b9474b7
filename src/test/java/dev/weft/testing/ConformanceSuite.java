package dev.weft.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code @modelcontextprotocol/conformance} (installed by {@link NpmPeers}) on Node 22 in a process of its own, and
 * keeps what it printed, without colours.
 */
public final class ConformanceSuite {
    private static final long LIMIT_SECONDS = 170;

    /** What one run returned and printed. */
    public record Result(int exit, String output) {
    }

    private ConformanceSuite() {
    }

    /**
     * Runs the suite with {@code args} (such as {@code client --command ...} or {@code server --url ...}); its results
     * go to {@code out}. A run that takes longer than 170 s is killed, with its descendants, and fails the caller.
     */
    public static Result run(Path out, List<String> args) throws IOException, InterruptedException {
        Path node22 = NpmPeers.node22();
        Path suite = NpmPeers.mcpModules().resolve("@modelcontextprotocol/conformance/dist/index.js");
        List<String> command = new ArrayList<>(List.of(node22.toString(), suite.toString()));
        command.addAll(args);
        command.addAll(List.of("-o", out.toString()));
        Files.createDirectories(out);
        Path log = Files.createTempFile("weft-conformance", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // The suite's own bin runs whatever node is first on PATH; so may anything it spawns.
        builder.environment().put("PATH", node22.getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        try {
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError("conformance " + args + " did not finish:\n" + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
