package dev.weft.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 9110 §11.6.1): a scheme, and either a
 * token68 or auth-params. {@link #parse} reads every challenge of a header value: parameters in any order, values as
 * tokens or quoted strings (with commas, spaces and backslash escapes), several challenges in one value. Immutable.
 *
 * @param scheme  the auth-scheme as sent (compare it case-insensitively)
 * @param token68 the token68, or {@code null}
 * @param params  the auth-params, names in lower case (the first of a repeated name wins), in order
 */
record Challenge(String scheme, String token68, Map<String, String> params) {
    Challenge {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The parameter {@code name} (case-insensitive), or {@code null}. */
    String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    boolean isBearer() {
        return scheme.equalsIgnoreCase("Bearer");
    }

    /** Every challenge of the header values, in order. What cannot be read is skipped; never throws. */
    static List<Challenge> parseAll(List<String> headerValues) {
        List<Challenge> all = new ArrayList<>();
        for (String value : headerValues) {
            all.addAll(parse(value));
        }
        return all;
    }

    /** The challenges of one header value, in order. What cannot be read is skipped; never throws. */
    static List<Challenge> parse(String header) {
        return new Parser(header).challenges();
    }

    /** Whether {@code c} is a tchar of RFC 9110 §5.6.2. */
    static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isToken68Char(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~+/".indexOf(c) >= 0;
    }

    /** A cursor over one header value. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s == null ? "" : s;
        }

        List<Challenge> challenges() {
            List<Challenge> challenges = new ArrayList<>();
            while (true) {
                skipSeparators();
                if (pos >= s.length()) {
                    return challenges;
                }
                String scheme = token();
                if (scheme.isEmpty()) {
                    pos++; // not a token: skip the character
                    continue;
                }
                challenges.add(rest(scheme));
            }
        }

        /** What follows a scheme: a token68, or auth-params up to the next challenge. */
        private Challenge rest(String scheme) {
            Map<String, String> params = new LinkedHashMap<>();
            int afterScheme = pos;
            skipWhitespace();
            if (pos == afterScheme || pos >= s.length() || s.charAt(pos) == ',') {
                return new Challenge(scheme, null, params); // the scheme alone
            }
            String token68 = token68();
            if (token68 != null) {
                return new Challenge(scheme, token68, params);
            }
            while (true) {
                int start = pos;
                String name = token();
                skipWhitespace();
                if (name.isEmpty() || pos >= s.length() || s.charAt(pos) != '=') {
                    pos = start; // not a parameter: the next challenge begins here (or junk to skip)
                    return new Challenge(scheme, null, params);
                }
                pos++;
                skipWhitespace();
                String value = pos < s.length() && s.charAt(pos) == '"' ? quoted() : token();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                skipWhitespace();
                if (pos >= s.length()) {
                    return new Challenge(scheme, null, params);
                }
                if (s.charAt(pos) != ',') {
                    skipToComma(); // junk after a value
                }
                skipSeparators();
            }
        }

        /** A token68 followed by the end or a comma, consumed; else {@code null}, nothing consumed. */
        private String token68() {
            int start = pos;
            int end = pos;
            while (end < s.length() && isToken68Char(s.charAt(end))) {
                end++;
            }
            if (end == start) {
                return null;
            }
            while (end < s.length() && s.charAt(end) == '=') {
                end++;
            }
            int next = end;
            while (next < s.length() && (s.charAt(next) == ' ' || s.charAt(next) == '\t')) {
                next++;
            }
            if (next < s.length() && s.charAt(next) != ',') {
                return null;
            }
            pos = next;
            return s.substring(start, end);
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** A quoted-string at {@code pos}, unescaped; an unterminated one runs to the end. */
        private String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++; // the opening quote
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                sb.append(c);
            }
            return sb.toString();
        }

        private void skipWhitespace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private void skipSeparators() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
                pos++;
            }
        }

        private void skipToComma() {
            while (pos < s.length() && s.charAt(pos) != ',') {
                if (s.charAt(pos) == '"') {
                    quoted();
                } else {
                    pos++;
                }
            }
        }
    }
}
