package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.weft.testing.Props;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code WWW-Authenticate} parser: RFC 9110's examples, the conformance suite's headers, and a round trip. */
class ChallengeTest {

    @Test
    void readsTheParametersInAnyOrder() {
        List<Challenge> challenges = Challenge.parse("Bearer scope=\"mcp:basic mcp:write\", "
                + "resource_metadata=\"http://localhost:1/.well-known/oauth-protected-resource/mcp\", "
                + "error=\"insufficient_scope\"");

        assertThat(challenges).singleElement().satisfies(c -> {
            assertThat(c.isBearer()).isTrue();
            assertThat(c.param("error")).isEqualTo("insufficient_scope");
            assertThat(c.param("SCOPE")).isEqualTo("mcp:basic mcp:write");
            assertThat(c.param("resource_metadata"))
                    .isEqualTo("http://localhost:1/.well-known/oauth-protected-resource/mcp");
        });
    }

    @Test
    void readsQuotedStringsWithCommasSpacesAndEscapes() {
        List<Challenge> challenges = Challenge.parse("Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\", "
                + "please\", Basic realm=\"simple\"");

        assertThat(challenges).hasSize(2);
        assertThat(challenges.get(0).scheme()).isEqualTo("Newauth");
        assertThat(challenges.get(0).params()).containsExactly(Map.entry("realm", "apps"), Map.entry("type", "1"),
                Map.entry("title", "Login to \"apps\", please"));
        assertThat(challenges.get(1)).isEqualTo(new Challenge("Basic", null, Map.of("realm", "simple")));
    }

    @Test
    void readsToken68AndBareSchemesAmongOthers() {
        List<Challenge> challenges = Challenge.parseAll(List.of("Negotiate YIIB/+==, Bearer",
                "bearer error=invalid_token,error_description=\"Missing Authorization header\""));

        assertThat(challenges).containsExactly(new Challenge("Negotiate", "YIIB/+==", Map.of()),
                new Challenge("Bearer", null, Map.of()),
                new Challenge("bearer", null, Map.of("error", "invalid_token",
                        "error_description", "Missing Authorization header")));
        assertThat(challenges.get(2).isBearer()).isTrue();
    }

    @Test
    void junkIsSkippedNotThrown() {
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse(null)).isEmpty();
        assertThat(Challenge.parse(", ,")).isEmpty();
        assertThat(Challenge.parse("Bearer realm=\"unterminated")).singleElement()
                .satisfies(c -> assertThat(c.param("realm")).isEqualTo("unterminated"));
        assertThat(Challenge.parse("Bearer a=\"x\" junk, b=y")).singleElement()
                .satisfies(c -> assertThat(c.params()).containsExactly(Map.entry("a", "x"), Map.entry("b", "y")));
    }

    @Test
    void generatedChallengesRoundTrip() {
        Props.qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            Random random = new Random(seed);
            List<Challenge> expected = new ArrayList<>();
            StringBuilder header = new StringBuilder();
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    header.append(random.nextInt(4) == 0 ? " ,, " : ",").append(" ".repeat(random.nextInt(3)));
                }
                expected.add(challenge(random, header));
            }
            assertThat(Challenge.parse(header.toString())).as(header.toString()).isEqualTo(expected);
        });
    }

    /** Appends a random challenge to {@code header} and returns what parsing it must give. */
    private static Challenge challenge(Random random, StringBuilder header) {
        String scheme = token(random, 1 + random.nextInt(8));
        header.append(scheme);
        int kind = random.nextInt(10);
        if (kind == 0) {
            return new Challenge(scheme, null, Map.of());
        }
        if (kind <= 2) {
            String token68 = chars(random, "abcXYZ019-._~+/", 1 + random.nextInt(16)) + "=".repeat(random.nextInt(3));
            header.append(' ').append(token68);
            return new Challenge(scheme, token68, Map.of());
        }
        Map<String, String> params = new LinkedHashMap<>();
        header.append(' ');
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = token(random, 1 + random.nextInt(10));
            if (params.containsKey(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String value = chars(random, "ab Z9,=;\"\\:/-_ é\t.", random.nextInt(12));
            if (!params.isEmpty()) {
                header.append(',').append(" ".repeat(random.nextInt(3)));
            }
            header.append(name).append(" ".repeat(random.nextInt(2))).append('=')
                    .append(" ".repeat(random.nextInt(2)));
            boolean token = !value.isEmpty() && value.chars().allMatch(c -> Challenge.isTokenChar((char) c));
            if (token && random.nextBoolean()) {
                header.append(value);
            } else {
                header.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            params.put(name.toLowerCase(Locale.ROOT), value);
        }
        return new Challenge(scheme, null, params);
    }

    private static String token(Random random, int length) {
        return chars(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~", length);
    }

    private static String chars(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
