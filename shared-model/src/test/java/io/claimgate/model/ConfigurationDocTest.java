package io.claimgate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's table "Every {@code litellm_jwtauth} key of LiteLLM's newest release" against the code: every
 * key {@link JwtAuthSettings} knows has a row, and each row's status is what the code does with the key.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final String HEADING = "## Every `litellm_jwtauth` key of LiteLLM's newest release";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| ([a-zA-Z ]+) \\| (.*)\\|$");
    private static final String PENDING = "<!-- pending: engineer";

    /** Key to status, in the table's order. */
    private static final Map<String, String> STATUS = new LinkedHashMap<>();
    private static final Map<String, String> TEXT = new LinkedHashMap<>();

    @BeforeAll
    static void readTable() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf(HEADING);
        assertThat(start).as("the heading %s in %s", HEADING, DOC).isNotNegative();
        int end = doc.indexOf("\n## ", start + HEADING.length());
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        for (String line : section.split("\n")) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                assertThat(STATUS.put(row.group(1), row.group(2).strip())).as("a second row for " + row.group(1))
                        .isNull();
                TEXT.put(row.group(1), row.group(3));
            }
        }
    }

    @Test
    void listsEveryKeyTheCodeKnows() {
        assertThat(STATUS.keySet()).containsAll(JwtAuthSettings.allowedKeys());
    }

    @Test
    void usesOnlyTheFiveStatuses() {
        assertThat(STATUS.values()).allSatisfy(status -> assertThat(status).isIn("implemented",
                "implemented differently", "refused at start", "accepted and ignored", "Claimgate only"));
    }

    @Test
    void marksAKeyTheCodeDoesNotImplementAsSuchUnlessAnotherEngineerIsImplementingIt() {
        for (String key : JwtAuthSettings.keysNotImplemented()) {
            if (!TEXT.get(key).contains(PENDING)) {
                assertThat(STATUS.get(key)).as(key).isIn("refused at start", "accepted and ignored");
            }
        }
    }

    @Test
    void refusesAtStartEveryKeyTheTableSaysIsRefused() {
        STATUS.forEach((key, status) -> {
            if (status.equals("refused at start") && !TEXT.get(key).contains(PENDING)) {
                assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of(key, "x"))).as(key)
                        .isInstanceOf(SettingsException.class).hasMessageContaining("is not supported by Claimgate");
            }
        });
    }

    @Test
    void acceptsWithAWarningEveryKeyTheTableSaysIsIgnored() {
        STATUS.forEach((key, status) -> {
            if (status.equals("accepted and ignored") && !TEXT.get(key).contains(PENDING)) {
                assertThat(JwtAuthSettings.fromLiteLlm(Map.of(key, true)).ignoredKeys()).as(key).contains(key);
            }
        });
    }

    @Test
    void actsOnEveryKeyTheTableSaysIsImplemented() {
        STATUS.forEach((key, status) -> {
            if (status.startsWith("implemented") || status.equals("Claimgate only")) {
                if (!TEXT.get(key).contains(PENDING)) {
                    assertThat(JwtAuthSettings.allowedKeys()).as(key).contains(key);
                    assertThat(JwtAuthSettings.keysNotImplemented()).as(key).doesNotContain(key);
                }
            }
        });
    }
}
