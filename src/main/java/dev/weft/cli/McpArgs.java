package dev.weft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of an MCP client command, parsed and checked ({@link Syntax#parse}).
 *
 * @param operands  the positional arguments, as many as the command takes (a tool's name, a resource's URI)
 * @param json      {@code --json}: print the result as one JSON document
 * @param arguments {@code --args}: a JSON object, or {@code null} when not given
 * @param timeout   {@code --timeout}: the timeout of each request, or {@code null} for the session's default
 * @param target    the server
 */
record McpArgs(List<String> operands, boolean json, ObjectNode arguments, Duration timeout, Target target) {
    McpArgs {
        operands = List.copyOf(operands);
        Objects.requireNonNull(target, "target");
    }

    /** The only operand of a command that takes one. */
    String operand() {
        if (operands.size() != 1) {
            throw new IllegalStateException("expected one operand, got " + operands);
        }
        return operands.getFirst();
    }
}
