package io.claimgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.SettingsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code litellm_settings.default_internal_user_params} read from a LiteLLM config as LiteLLM reads it. */
class DefaultUserParamsConfigTest {

    private final GatewayConfigReader reader = new GatewayConfigReader(Map.of("NEW_USER_BUDGET", "2.5"));

    @Test
    void readsTheDefaultsFromLiteLlmSettings() {
        GatewayConfig config = reader.parse("""
                general_settings:
                  enable_jwt_auth: true
                  litellm_jwtauth:
                    user_id_upsert: true
                litellm_settings:
                  drop_params: true
                  default_internal_user_params:
                    user_role: internal_user
                    max_budget: os.environ/NEW_USER_BUDGET
                    budget_duration: 30d
                    models: ["gpt-4o-mini"]
                """);

        assertThat(config.defaultUserParams()).isEqualTo(new DefaultUserParams(ProxyRole.INTERNAL_USER,
                List.of("gpt-4o-mini"), 2.5, "30d", null, null, List.of()));
    }

    @Test
    void hasNoDefaultsWithoutTheKey() {
        GatewayConfig config = reader.parse("""
                litellm_settings:
                  drop_params: true
                """);

        assertThat(config.defaultUserParams()).isEqualTo(DefaultUserParams.NONE);
        assertThat(reader.parse("").defaultUserParams()).isEqualTo(DefaultUserParams.NONE);
    }

    @Test
    void refusesToStartWhenEveryNewUserWouldBeAnAdmin() {
        assertThatThrownBy(() -> reader.parse("""
                litellm_settings:
                  default_internal_user_params:
                    user_role: proxy_admin
                """))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("litellm_settings.default_internal_user_params.user_role");
    }

    @Test
    void refusesAMisspeltKeyRatherThanCreateUsersWithoutTheirBudget() {
        assertThatThrownBy(() -> reader.parse("""
                litellm_settings:
                  default_internal_user_params:
                    max_budgett: 10
                """))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("default_internal_user_params.max_budgett");
    }
}
