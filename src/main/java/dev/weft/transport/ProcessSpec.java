package dev.weft.transport;

import dev.weft.jsonrpc.JsonRpcCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a stdio server: the immutable configuration of {@link StdioTransport#spawn(ProcessSpec)}.
 *
 * <p>The command is an argument vector, never a shell string: nothing is split, quoted or expanded. The child inherits
 * this process's environment with {@code environment} laid over it, and never our standard input, output or error.
 *
 * @param argv            the program and its arguments; not empty; the program is looked up on our {@code PATH} as
 *                        {@link ProcessBuilder} does
 * @param environment     variables added to or overriding the inherited environment
 * @param directory       the working directory, or {@code null} for ours
 * @param stderrTailBytes how many of the last bytes of the child's standard error to keep for
 *                        {@link ProcessExitedException#stderrTail()}; 0 keeps none
 * @param closeGrace      how long {@link StdioTransport#close()} waits for the child to exit after closing its standard
 *                        input, before it sends {@code SIGTERM}
 * @param codec           the codec, whose {@link JsonRpcCodec#maxFrameBytes() frame limit} bounds a line
 */
public record ProcessSpec(List<String> argv, Map<String, String> environment, Path directory, int stderrTailBytes,
                          Duration closeGrace, JsonRpcCodec codec) {
    /** The default size of the standard error tail: 64 KiB. */
    public static final int DEFAULT_STDERR_TAIL_BYTES = 64 * 1024;
    /** The default grace period of {@link StdioTransport#close()}: 2 seconds. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(2);

    /**
     * Validates and copies.
     *
     * @throws NullPointerException     if a component other than {@code directory}, an argument, a name or a value is
     *                                  {@code null}
     * @throws IllegalArgumentException if {@code argv} is empty or its program is blank, {@code stderrTailBytes} is
     *                                  negative, or {@code closeGrace} is negative
     */
    public ProcessSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(closeGrace, "closeGrace");
        Objects.requireNonNull(codec, "codec");
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            throw new IllegalArgumentException("argv must name a program: " + argv);
        }
        if (stderrTailBytes < 0) {
            throw new IllegalArgumentException("stderrTailBytes must not be negative: " + stderrTailBytes);
        }
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace must not be negative: " + closeGrace);
        }
    }

    /**
     * A spec that runs {@code argv} with the defaults: no extra environment, our working directory, a 64 KiB standard
     * error tail, a 2 s close grace and the standard codec.
     *
     * @param argv the program and its arguments
     * @return the spec
     */
    public static ProcessSpec of(String... argv) {
        return new ProcessSpec(List.of(argv), Map.of(), null, DEFAULT_STDERR_TAIL_BYTES, DEFAULT_CLOSE_GRACE,
                JsonRpcCodec.standard());
    }

    /**
     * {@return this spec with another argument vector}
     *
     * @param argv the program and its arguments
     */
    public ProcessSpec withArgv(List<String> argv) {
        return new ProcessSpec(argv, environment, directory, stderrTailBytes, closeGrace, codec);
    }

    /**
     * {@return this spec with {@code environment} replacing the additions and overrides}
     *
     * @param environment variables added to or overriding the inherited environment
     */
    public ProcessSpec withEnvironment(Map<String, String> environment) {
        return new ProcessSpec(argv, environment, directory, stderrTailBytes, closeGrace, codec);
    }

    /**
     * {@return this spec with one more variable added or overridden}
     *
     * @param name  the variable's name
     * @param value its value
     */
    public ProcessSpec withEnvironment(String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return withEnvironment(more);
    }

    /**
     * {@return this spec with another working directory, or {@code null} for ours}
     *
     * @param directory the working directory, or {@code null} for ours
     */
    public ProcessSpec withDirectory(Path directory) {
        return new ProcessSpec(argv, environment, directory, stderrTailBytes, closeGrace, codec);
    }

    /**
     * {@return this spec keeping another number of standard error bytes}
     *
     * @param stderrTailBytes how many of the last bytes of the child's standard error to keep; 0 keeps none
     */
    public ProcessSpec withStderrTailBytes(int stderrTailBytes) {
        return new ProcessSpec(argv, environment, directory, stderrTailBytes, closeGrace, codec);
    }

    /**
     * {@return this spec with another close grace period}
     *
     * @param closeGrace how long {@link StdioTransport#close()} waits for the child to exit after closing its standard
     *                   input, before it sends {@code SIGTERM}
     */
    public ProcessSpec withCloseGrace(Duration closeGrace) {
        return new ProcessSpec(argv, environment, directory, stderrTailBytes, closeGrace, codec);
    }

    /**
     * {@return this spec with another codec}
     *
     * @param codec the codec, whose {@link JsonRpcCodec#maxFrameBytes() frame limit} bounds a line
     */
    public ProcessSpec withCodec(JsonRpcCodec codec) {
        return new ProcessSpec(argv, environment, directory, stderrTailBytes, closeGrace, codec);
    }

    /**
     * The argument vector joined by spaces, for messages and {@link StdioTransport#describe()}: {@code node server.js}.
     * Long arguments (a class path) are shortened in the middle and the whole is cut after 200 characters; the exact
     * vector is {@link #argv()}.
     */
    String commandLine() {
        StringBuilder line = new StringBuilder();
        for (String arg : argv) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(arg.length() <= 64 ? arg : arg.substring(0, 30) + "..." + arg.substring(arg.length() - 30));
            if (line.length() > 200) {
                line.setLength(200);
                line.append("...");
                break;
            }
        }
        return line.toString();
    }
}
