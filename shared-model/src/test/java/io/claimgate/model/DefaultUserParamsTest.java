package io.claimgate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultUserParamsTest {

    private static final ConfigValues VALUES = ConfigValues.resolvingAgainst(Map.of("DEFAULT_BUDGET", "7.5"));

    @Test
    void readsEveryColumnLiteLlmWritesForANewUser() {
        // given LiteLLM's documented example, plus the limits and teams its insert also takes
        Map<String, Object> block = Map.of("user_role", "internal_user_viewer", "max_budget", 10,
                "budget_duration", "30d", "models", List.of("gpt-4o", "claude-3"), "tpm_limit", 1000,
                "rpm_limit", "60", "teams", List.of("team-a"));

        // when
        DefaultUserParams params = DefaultUserParams.read(VALUES, block);

        // then
        assertThat(params).isEqualTo(new DefaultUserParams(ProxyRole.INTERNAL_USER_VIEWER,
                List.of("gpt-4o", "claude-3"), 10.0, "30d", 1000L, 60L, List.of("team-a")));
    }

    @Test
    void absentMeansLiteLlmsBareUpsert() {
        DefaultUserParams params = DefaultUserParams.read(VALUES, null);

        assertThat(params).isEqualTo(DefaultUserParams.NONE);
        assertThat(params.roleOrDefault()).isEqualTo(ProxyRole.INTERNAL_USER);
        assertThat(params.models()).isEmpty();
        assertThat(params.maxBudget()).isNull();
    }

    @Test
    void resolvesEnvironmentReferencesAndDecimalBudgets() {
        DefaultUserParams params = DefaultUserParams.read(VALUES, Map.of("max_budget", "os.environ/DEFAULT_BUDGET"));

        assertThat(params.maxBudget()).isEqualTo(7.5);
        assertThat(params.roleOrDefault()).isEqualTo(ProxyRole.INTERNAL_USER);
    }

    @Test
    void acceptsAvailableTeamsWithoutWritingThemToNewUsers() {
        DefaultUserParams params = DefaultUserParams.read(VALUES, Map.of("available_teams", List.of("open-team")));

        assertThat(params).isEqualTo(DefaultUserParams.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy_admin", "proxy_admin_viewer", "org_admin", "team"})
    void refusesARoleThatWouldGiveEveryNewCallerMoreThanAnInternalUser(String role) {
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, Map.of("user_role", role)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("litellm_settings.default_internal_user_params.user_role")
                .hasMessageContaining("internal_user or internal_user_viewer");
    }

    @Test
    void refusesAnUnknownKeyThatLiteLlmsInsertWouldFailOnForEveryNewUser() {
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, Map.of("max_budjet", 5)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("default_internal_user_params.max_budjet")
                .hasMessageContaining("unknown key");
    }

    @Test
    void refusesValuesOfTheWrongShape() {
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, Map.of("max_budget", "lots")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("max_budget");
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, Map.of("max_budget", -1)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("at least 0");
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, Map.of("tpm_limit", 1.5)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("tpm_limit");
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, Map.of("user_role", "superuser")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("unknown role");
        assertThatThrownBy(() -> DefaultUserParams.read(VALUES, List.of("internal_user")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("expected a mapping");
    }
}
