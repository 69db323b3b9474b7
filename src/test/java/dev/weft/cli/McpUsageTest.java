package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wrong arguments of the MCP client commands: exit status 2, one line saying what is wrong, then the command's usage,
 * and nothing started. The server in these tests is {@code sh -c 'exit 9'}: had it been started, the status would be 3.
 */
class McpUsageTest {
    private static final List<String> NEVER_STARTED = List.of("--", "sh", "-c", "exit 9");
    private static final String CALL_USAGE =
            "Usage: weft tools call NAME [--args JSON] [--timeout DURATION] [--json] (-- CMD ARGS... | --url URL)";

    private static Cli.Result run(String... args) {
        return Cli.run(Cli.args(List.of(args), NEVER_STARTED));
    }

    private static void assertUsageError(Cli.Result result, String reason, String usage) {
        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly(reason, usage);
    }

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("tools list", "weft tools list [--timeout DURATION] [--json]"),
                Arguments.of("tools call", "weft tools call NAME [--args JSON] [--timeout DURATION] [--json]"),
                Arguments.of("resources list", "weft resources list [--timeout DURATION] [--json]"),
                Arguments.of("resources read", "weft resources read URI [--timeout DURATION] [--json]"),
                Arguments.of("prompts list", "weft prompts list [--timeout DURATION] [--json]"),
                Arguments.of("prompts get", "weft prompts get NAME [--args JSON] [--timeout DURATION] [--json]"),
                Arguments.of("ping", "weft ping [--timeout DURATION] [--json]"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpOfEachCommandShowsItsUsageOptionsAndExitStatuses(String command, String usage) {
        Cli.Result result = Cli.run(Cli.args(List.of(command.split(" ")), List.of("--help")));

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out())
                .startsWith("Usage: " + usage + " (-- CMD ARGS... | --url URL)\n\n")
                .contains("  -- CMD ARGS...", "  --url URL", "  -h, --help", "  --json ")
                .contains("Exit status: 0 success, 1 the tool reported an error, 2 wrong arguments, 3 the server");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void withoutAServerEachCommandIsAUsageError(String command, String usage) {
        List<String> operands = usage.contains(" NAME ") ? List.of("x") : usage.contains(" URI ") ? List.of("u")
                : List.of();
        Cli.Result result = Cli.run(Cli.args(List.of(command.split(" ")), operands));

        assertUsageError(result, "weft " + command + ": no server: add -- CMD ARGS... to run one, or --url URL",
                "Usage: " + usage + " (-- CMD ARGS... | --url URL)");
    }

    private static final String PING_USAGE = "Usage: weft ping [--timeout DURATION] [--json] (-- CMD ARGS... | --url URL)";

    @Test
    void authorizationOptionsNeedAUrlAndAPortInRange() {
        assertUsageError(run("ping", "--client-id", "me"),
                "weft ping: --client-id is for a server at a URL: add --url URL", PING_USAGE);
        assertUsageError(run("ping", "--scope", "a b"),
                "weft ping: --scope is for a server at a URL: add --url URL", PING_USAGE);
        assertUsageError(Cli.run("ping", "--url", "http://127.0.0.1:1/mcp", "--callback-port", "70000"),
                "weft ping: --callback-port: '70000' is not a port (1 to 65535)", PING_USAGE);
        assertUsageError(Cli.run("ping", "--url", "http://127.0.0.1:1/mcp", "--client-id", " "),
                "weft ping: --client-id is blank", PING_USAGE);
    }

    @Test
    void helpListsTheAuthorizationOptions() {
        assertThat(Cli.run("ping", "--help").out()).contains("--client-id ID", "WEFT_CLIENT_SECRET", "--scope SCOPES",
                "--callback-port PORT");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertUsageError(run("tools", "call", "echo", "--frob"), "weft tools call: unknown option '--frob'",
                CALL_USAGE);
        assertUsageError(run("tools", "call", "echo", "-x"), "weft tools call: unknown option '-x'", CALL_USAGE);
    }

    @Test
    void anOptionAnotherCommandTakesIsUnknownHere() {
        assertUsageError(run("resources", "read", "demo://x", "--args", "{}"),
                "weft resources read: unknown option '--args'",
                "Usage: weft resources read URI [--timeout DURATION] [--json] (-- CMD ARGS... | --url URL)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"message\": ", "{message: 1}", "{} {}", "", "nul"})
    void argsThatAreNotJsonAreAUsageError(String json) {
        Cli.Result result = run("tools", "call", "echo", "--args", json);

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(2).last().isEqualTo(CALL_USAGE);
        assertThat(result.errLines().getFirst()).startsWith("weft tools call: ")
                .satisfiesAnyOf(
                        line -> assertThat(line).startsWith("weft tools call: --args is not valid JSON: "),
                        line -> assertThat(line).isEqualTo("weft tools call: --args must be a JSON object such as"
                                + " '{\"name\": \"value\"}', got nothing"));
    }

    @Test
    void argsThatAreJsonButNotAnObjectAreAUsageError() {
        assertUsageError(run("tools", "call", "echo", "--args", "[1, 2]"),
                "weft tools call: --args must be a JSON object such as '{\"name\": \"value\"}', got [1,2]",
                CALL_USAGE);
    }

    @Test
    void promptArgumentsMustBeScalars() {
        assertUsageError(run("prompts", "get", "args-prompt", "--args", "{\"city\": {\"name\": \"Paris\"}}"),
                "weft prompts get: --args: the value of 'city' must be a string, a number or a boolean,"
                        + " got {\"name\":\"Paris\"}",
                "Usage: weft prompts get NAME [--args JSON] [--timeout DURATION] [--json] (-- CMD ARGS... | --url URL)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "30", "1.5s"})
    void badDurationIsAUsageError(String duration) {
        assertUsageError(run("tools", "call", "echo", "--timeout", duration),
                "weft tools call: --timeout: '" + duration + "' is not a duration (examples: 500ms, 30s, 2m, 1h,"
                        + " PT30S)", CALL_USAGE);
    }

    @Test
    void zeroDurationIsAUsageError() {
        assertUsageError(run("tools", "call", "echo", "--timeout=0s"),
                "weft tools call: --timeout: '0s' is not a positive duration", CALL_USAGE);
    }

    @Test
    void operandsMustBeThereAndNoMore() {
        assertUsageError(run("tools", "call"), "weft tools call: missing NAME", CALL_USAGE);
        assertUsageError(run("tools", "call", "echo", "again"),
                "weft tools call: unexpected argument 'again' after echo", CALL_USAGE);
    }

    @Test
    void optionValuesAndFlagsAreCheckedForShape() {
        assertUsageError(Cli.run("tools", "call", "echo", "--args"),
                "weft tools call: --args needs a value (JSON)", CALL_USAGE);
        assertUsageError(run("tools", "call", "echo", "--timeout"),
                "weft tools call: --timeout needs a value (DURATION)", CALL_USAGE);
        assertUsageError(run("tools", "call", "echo", "--json=yes"), "weft tools call: --json takes no value",
                CALL_USAGE);
        assertUsageError(run("tools", "call", "echo", "--json", "--json"), "weft tools call: --json given twice",
                CALL_USAGE);
    }

    @Test
    void theServerIsOneCommandOrOneUrl() {
        assertUsageError(Cli.run("tools", "call", "echo", "--"), "weft tools call: no command after --", CALL_USAGE);
        assertUsageError(run("tools", "call", "echo", "--url", "http://localhost:1/mcp"),
                "weft tools call: two servers: give -- CMD ARGS... or --url URL, not both", CALL_USAGE);
        assertUsageError(Cli.run("tools", "call", "echo", "--url", "ftp://example.com/mcp"),
                "weft tools call: --url: 'ftp://example.com/mcp' is not an http or https URL with a host",
                CALL_USAGE);
    }

    @Test
    void aGroupWithoutACommandOrWithAnUnknownOneIsAUsageError() {
        Cli.Result bare = Cli.run("tools");
        Cli.Result unknown = Cli.run("resources", "write");

        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.out()).isEmpty();
        assertThat(bare.errLines()).containsExactly("weft tools: missing command: tools list or tools call",
                "Usage: weft tools list | call [arguments]; see weft tools --help");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("weft resources: unknown command 'write'",
                "Usage: weft resources list | read [arguments]; see weft resources --help");
    }

    @Test
    void aGroupsHelpListsItsCommands() {
        Cli.Result result = Cli.run("prompts", "--help");

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out())
                .startsWith("Usage: weft prompts <command> [arguments]\n")
                .containsPattern("(?m)^  prompts list +List the server's prompts$")
                .containsPattern("(?m)^  prompts get +Get a prompt with its arguments filled in$");
    }
}
