package dev.weft.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches URIs against a resource template (RFC 6570, the forms resource templates use): {@code {name}} matches one
 * path segment (no {@code /}, {@code ?} or {@code #}), {@code {+name}} matches anything, including slashes. Values are
 * percent-decoded. Immutable; thread-safe.
 */
final class UriTemplate {
    private static final Pattern EXPRESSION = Pattern.compile("\\{(\\+?)([A-Za-z0-9_.]+)}");

    private final String template;
    private final Pattern pattern;
    private final List<String> names;

    private UriTemplate(String template, Pattern pattern, List<String> names) {
        this.template = template;
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException if it uses an expression form this class does not match, or a name twice
     */
    static UriTemplate parse(String template) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = EXPRESSION.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            if (names.contains(m.group(2))) {
                throw new IllegalArgumentException("variable " + m.group(2) + " appears twice in " + template);
            }
            names.add(m.group(2));
            regex.append(m.group(1).isEmpty() ? "([^/?#]+)" : "(.+)");
            last = m.end();
        }
        String rest = template.substring(last);
        String literal = EXPRESSION.matcher(template).replaceAll("");
        if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
            throw new IllegalArgumentException("unsupported expression in URI template " + template
                    + " (supported: {name} and {+name})");
        }
        regex.append(Pattern.quote(rest));
        return new UriTemplate(template, Pattern.compile(regex.toString()), List.copyOf(names));
    }

    /** The variables' values if {@code uri} matches, by name in template order; else {@code null}. */
    Map<String, String> match(String uri) {
        Matcher m = pattern.matcher(uri);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The variable names, in template order. */
    List<String> names() {
        return names;
    }

    @Override
    public String toString() {
        return template;
    }
}
