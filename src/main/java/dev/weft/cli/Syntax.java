package dev.weft.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The grammar of one MCP client command: {@code weft NAME OPERANDS... [OPTIONS] (-- CMD ARGS... | --url URL)}.
 * Options and operands come in any order before {@code --}; an option's value follows it ({@code --timeout 30s}) or is
 * joined with {@code =} ({@code --timeout=30s}); everything after {@code --} is the server's command line, untouched.
 *
 * @param name        the command as typed after {@code weft}: {@code tools call}
 * @param operands    the names of its positional arguments, all required: {@code NAME}
 * @param options     the options it takes besides {@code --url} and {@code --help}
 * @param summary     one line for the list of commands, capitalised, without a final period
 * @param description what it does and prints, for its {@code --help}
 */
record Syntax(String name, List<String> operands, Set<Option> options, String summary, String description) {

    /** The options of MCP client commands, in the order usage lines show them. */
    enum Option {
        ARGS("--args", "JSON", "Arguments as a JSON object, e.g. '{\"message\": \"hi\"}'"),
        TIMEOUT("--timeout", "DURATION", "Longest wait for each answer: 500ms, 30s, 2m, PT30S (default 60s)"),
        JSON("--json", null, "Print the result as one JSON document, for scripts"),
        URL("--url", "URL", "Talk to the MCP server at URL (Streamable HTTP)"),
        CLIENT_ID("--client-id", "ID", "With --url: authorize as this client, registered with the server's"
                + " authorization server (a secret, if it has one, from WEFT_CLIENT_SECRET)"),
        SCOPE("--scope", "SCOPES", "With --url: ask for these scopes too, space-separated"),
        CALLBACK_PORT("--callback-port", "PORT", "With --url: take the authorization redirect on this loopback port"
                + " (default: a free one)");

        /** The options every command takes, about the server rather than the command. */
        static final Set<Option> SERVER = Set.of(URL, CLIENT_ID, SCOPE, CALLBACK_PORT);

        final String flag;
        final String valueName; // null for a flag without a value
        final String help;

        Option(String flag, String valueName, String help) {
            this.flag = flag;
            this.valueName = valueName;
            this.help = help;
        }
    }

    Syntax {
        operands = List.copyOf(operands);
        options = Set.copyOf(options);
        if (options.stream().anyMatch(Option.SERVER::contains)) {
            throw new IllegalArgumentException("the server's options are implied: " + options);
        }
    }

    /** {@code weft tools call NAME [--args JSON] [--timeout DURATION] [--json] (-- CMD ARGS... | --url URL)}. */
    String usage() {
        StringBuilder usage = new StringBuilder("weft ").append(name);
        for (String operand : operands) {
            usage.append(' ').append(operand);
        }
        for (Option option : Option.values()) {
            if (options.contains(option)) {
                usage.append(" [").append(option.flag);
                if (option.valueName != null) {
                    usage.append(' ').append(option.valueName);
                }
                usage.append(']');
            }
        }
        return usage.append(" (-- CMD ARGS... | --url URL)").toString();
    }

    /** The text of {@code --help}. */
    String help() {
        StringBuilder help = new StringBuilder();
        help.append("Usage: ").append(usage()).append("\n\n").append(description.strip()).append("\n\nOptions:\n");
        for (Option option : Option.values()) {
            if (options.contains(option) || Option.SERVER.contains(option)) {
                String flag = option.valueName == null ? option.flag : option.flag + " " + option.valueName;
                if (option == Option.URL) {
                    help.append(line("-- CMD ARGS...", "Run the MCP server CMD with ARGS, talking over its stdin and"
                            + " stdout"));
                }
                help.append(line(flag, option.help));
            }
        }
        help.append(line("-h, --help", "Show this help")).append('\n').append(Main.EXIT_STATUS).append('\n');
        return help.toString();
    }

    private static String line(String flag, String text) {
        return String.format(Locale.ROOT, "  %-20s %s%n", flag, text);
    }

    /** Whether the arguments ask for help: {@code -h} or {@code --help} before any {@code --}. */
    static boolean wantsHelp(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses and checks the arguments after the command's name.
     *
     * @throws UsageException naming the first thing wrong: an unknown option, a missing or malformed value, a missing
     *                        or unexpected operand, no server or two of them
     */
    McpArgs parse(List<String> args) throws UsageException {
        List<String> found = new ArrayList<>();
        Map<Option, String> values = new EnumMap<>(Option.class);
        List<String> command = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                command = args.subList(i + 1, args.size());
                if (command.isEmpty()) {
                    throw new UsageException("no command after --");
                }
                break;
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                i = option(args, i, values);
            } else if (found.size() < operands.size()) {
                found.add(arg);
            } else {
                throw new UsageException("unexpected argument '" + arg + "'"
                        + (found.isEmpty() ? "" : " after " + String.join(" ", found)));
            }
        }
        if (found.size() < operands.size()) {
            throw new UsageException("missing " + operands.get(found.size()));
        }
        String url = values.get(Option.URL);
        if (command == null && url == null) {
            throw new UsageException("no server: add -- CMD ARGS... to run one, or --url URL");
        }
        if (command != null && url != null) {
            throw new UsageException("two servers: give -- CMD ARGS... or --url URL, not both");
        }
        for (Option option : List.of(Option.CLIENT_ID, Option.SCOPE, Option.CALLBACK_PORT)) {
            if (url == null && values.containsKey(option)) {
                throw new UsageException(option.flag + " is for a server at a URL: add --url URL");
            }
        }
        Target target = url != null ? new Target.Http(endpoint(url), authorization(values)) : new Target.Stdio(command);
        String arguments = values.get(Option.ARGS);
        return new McpArgs(found, values.containsKey(Option.JSON),
                arguments == null ? null : Json.parseObject(arguments, Option.ARGS.flag),
                timeout(values.get(Option.TIMEOUT)), target);
    }

    private static Duration timeout(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(Option.TIMEOUT.flag + ": " + e.getMessage());
        }
    }

    /** Reads the option at {@code args[i]} into {@code values}; returns the index of its last word. */
    private int option(List<String> args, int i, Map<Option, String> values) throws UsageException {
        String arg = args.get(i);
        int eq = arg.indexOf('=');
        String flag = eq < 0 ? arg : arg.substring(0, eq);
        Option option = null;
        for (Option candidate : Option.values()) {
            if (candidate.flag.equals(flag) && (Option.SERVER.contains(candidate) || options.contains(candidate))) {
                option = candidate;
            }
        }
        if (option == null) {
            throw new UsageException("unknown option '" + flag + "'");
        }
        String value;
        int last = i;
        if (option.valueName == null) {
            if (eq >= 0) {
                throw new UsageException(flag + " takes no value");
            }
            value = "";
        } else if (eq >= 0) {
            value = arg.substring(eq + 1);
        } else if (i + 1 < args.size() && !args.get(i + 1).equals("--")) {
            last = i + 1;
            value = args.get(last);
        } else {
            throw new UsageException(flag + " needs a value (" + option.valueName + ")");
        }
        if (values.put(option, value) != null) {
            throw new UsageException(flag + " given twice");
        }
        return last;
    }

    private static Target.Authorization authorization(Map<Option, String> values) throws UsageException {
        String clientId = values.get(Option.CLIENT_ID);
        if (clientId != null && clientId.isBlank()) {
            throw new UsageException(Option.CLIENT_ID.flag + " is blank");
        }
        String scope = values.getOrDefault(Option.SCOPE, "").strip();
        Set<String> scopes = scope.isEmpty() ? Set.of() : Set.copyOf(java.util.Arrays.asList(scope.split("\\s+")));
        String port = values.get(Option.CALLBACK_PORT);
        int callbackPort = 0;
        if (port != null) {
            try {
                callbackPort = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                callbackPort = -1;
            }
            if (callbackPort < 1 || callbackPort > 65_535) {
                throw new UsageException(Option.CALLBACK_PORT.flag + ": '" + port + "' is not a port (1 to 65535)");
            }
        }
        return new Target.Authorization(clientId, scopes, callbackPort);
    }

    private static URI endpoint(String url) throws UsageException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException("--url: '" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new UsageException("--url: '" + url + "' is not an http or https URL with a host");
        }
        return uri;
    }
}
