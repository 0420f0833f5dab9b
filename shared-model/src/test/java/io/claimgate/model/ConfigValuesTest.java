package io.claimgate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private final ConfigValues literal = ConfigValues.literal();
    private final ConfigValues resolving = ConfigValues.resolvingAgainst(Map.of("TTL", "30", "ON", "true"));

    @Nested
    class Durations {

        @Test
        void readsSecondsWithFractionsFromNumbersAndStrings() {
            assertThat(literal.seconds("k", 2.5, null)).isEqualTo(Duration.ofMillis(2500));
            assertThat(literal.seconds("k", "120", null)).isEqualTo(Duration.ofSeconds(120));
            assertThat(literal.seconds("k", null, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        }

        @Test
        void refusesNegativeAndMoreThanADayNamingTheKey() {
            assertThatThrownBy(() -> literal.seconds("public_key_ttl", -1, null))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("public_key_ttl"));
            assertThatThrownBy(() -> literal.seconds("public_key_stale_ttl", 86_401, null))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.problem()).contains("from 0 to 86400"));
            assertThatThrownBy(() -> literal.seconds("k", "soon", null)).isInstanceOf(SettingsException.class);
        }

        @Test
        void allowsZeroOnlyWherePositiveIsNotAsked() {
            assertThat(literal.seconds("leeway", 0, null)).isZero();
            assertThatThrownBy(() -> literal.positiveSeconds("gateway.read_timeout", 0, null))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("gateway.read_timeout"));
        }
    }

    @Nested
    class Shapes {

        @Test
        void readsBooleansInAnyCaseAndRefusesOtherWords() {
            assertThat(literal.bool("k", "TRUE", false)).isTrue();
            assertThat(literal.bool("k", null, true)).isTrue();
            assertThatThrownBy(() -> literal.bool("enforce_rbac", "yes", false))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("enforce_rbac"));
        }

        @Test
        void readsWholeNumbersWithinTheirRange() {
            assertThat(literal.number("k", "42", 0)).isEqualTo(42);
            assertThatThrownBy(() -> literal.number("k", 1.5, 0)).isInstanceOf(SettingsException.class);
            assertThatThrownBy(() -> literal.number("gateway.port", 70_000, 0, 0, 65_535))
                    .hasMessage("gateway.port: must be between 0 and 65535, got 70000");
        }

        @Test
        void readsASingleStringAsAListAndRefusesEmptyEntries() {
            assertThat(literal.strings("k", "a", null)).containsExactly("a");
            assertThat(literal.strings("k", null, List.of("d"))).containsExactly("d");
            assertThatThrownBy(() -> literal.strings("team_allowed_routes", List.of("a", " "), null))
                    .hasMessage("team_allowed_routes: must not contain empty entries");
        }

        @Test
        void namesTheFieldOfAListEntry() {
            assertThatThrownBy(() -> literal.entries("role_mappings", List.of(Map.of("role", "x",
                    "internal_role", "superuser")), e -> e.role("internal_role")))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("role_mappings.internal_role"));
        }
    }

    @Nested
    class EnvironmentReferences {

        @Test
        void resolvesReferencesBeforeReadingTheValue() {
            assertThat(resolving.seconds("k", "os.environ/TTL", null)).isEqualTo(Duration.ofSeconds(30));
            assertThat(resolving.bool("k", "os.environ/ON", false)).isTrue();
        }

        @Test
        void refusesAReferenceToAnUnsetVariableNamingTheKey() {
            assertThatThrownBy(() -> resolving.string("general_settings.master_key", "os.environ/NOPE"))
                    .isInstanceOfSatisfying(SettingsException.class, e -> {
                        assertThat(e.key()).isEqualTo("general_settings.master_key");
                        assertThat(e.problem()).contains("NOPE");
                    });
        }

        @Test
        void leavesReferencesAloneWhenReadingLiterally() {
            assertThat(literal.string("k", "os.environ/TTL")).isEqualTo("os.environ/TTL");
        }

        @Test
        void resolvesNestedMappingsAndLists() {
            Map<String, Object> resolved = resolving.resolved("block", Map.of("a", List.of("os.environ/TTL")));

            assertThat(resolved).containsEntry("a", List.of("30"));
        }
    }

    @Test
    void placesAnErrorUnderItsSectionWithoutTouchingTheProblem() {
        SettingsException e = new SettingsException("leeway", "must be between 0 and 300 seconds");

        SettingsException placed = e.under("general_settings").under("x");

        assertThat(placed.key()).isEqualTo("x.general_settings.leeway");
        assertThat(placed.problem()).isEqualTo(e.problem());
        assertThat(placed).hasMessage("x.general_settings.leeway: must be between 0 and 300 seconds");
    }
}
