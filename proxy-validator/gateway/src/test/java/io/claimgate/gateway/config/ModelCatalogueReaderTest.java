package io.claimgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.SettingsException;
import io.claimgate.validator.access.ModelAccess;
import io.claimgate.validator.access.ModelCatalogue;
import io.claimgate.validator.access.ModelCatalogue.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The model catalogue a LiteLLM {@code config.yaml} gives model access: deployments, access groups, aliases. */
class ModelCatalogueReaderTest {

    /** A LiteLLM config as its model-access docs write one. */
    private static final String CONFIG = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
                model_info:
                  access_groups: ["beta-models", "tier-a"]
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o-eu
                  api_base: https://example.openai.azure.com
              - model_name: house-model
                litellm_params:
                  model: meta-llama/Llama-3-8b
                  custom_llm_provider: openai
              - model_name: bare
                litellm_params:
                  model: gpt-4o-mini
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-3-5-sonnet
                model_info:
                  access_groups: claude-tier

            router_settings:
              model_group_alias:
                fast: gpt-4o
                secret-alias:
                  model: claude
                  hidden: true

            litellm_settings:
              model_alias_map:
                cheap: bare
                fast: claude
            """;

    private final GatewayConfigReader reader = new GatewayConfigReader(Map.of());

    @Test
    void readsEveryDeploymentWithItsProviderAndAccessGroups() {
        ModelCatalogue catalogue = reader.parse(CONFIG).modelCatalogue();

        assertThat(catalogue.deployments()).containsExactly(
                new Deployment("gpt-4o", "openai/gpt-4o", List.of("beta-models", "tier-a")),
                new Deployment("gpt-4o", "azure/gpt-4o-eu", List.of()),
                new Deployment("house-model", "openai/meta-llama/Llama-3-8b", List.of()),
                new Deployment("bare", null, List.of()),
                new Deployment("claude", "anthropic/claude-3-5-sonnet", List.of("claude-tier")));
    }

    @Test
    void readsBothAliasKindsAndLetsTheRoutersAliasWinAClash() {
        ModelCatalogue catalogue = reader.parse(CONFIG).modelCatalogue();

        assertThat(catalogue.aliases()).containsExactlyInAnyOrderEntriesOf(
                Map.of("fast", "gpt-4o", "secret-alias", "claude", "cheap", "bare"));
    }

    @ParameterizedTest(name = "{0} may call {1}: {2}")
    @CsvSource({
            "beta-models, gpt-4o, true",
            "beta-models, fast, true",
            "beta-models, claude, false",
            "claude-tier, secret-alias, true",
            "openai/*, house-model, true",
            // gpt-4o also runs on azure: the router may pick either deployment
            "openai/*, gpt-4o, false",
            "'openai/*,azure/*', gpt-4o, true",
            // no provider prefix: LiteLLM would guess one, the gateway does not
            "openai/*, bare, false",
            "openai/*, cheap, false",
            "bare, cheap, true"})
    void decidesModelAccessAgainstTheConfiguredRouter(String teamModels, String model, boolean allowed) {
        ModelCatalogue catalogue = reader.parse(CONFIG).modelCatalogue();

        assertThat(ModelAccess.of(List.of(teamModels.split(","))).allows(model, catalogue, Map.of()))
                .isEqualTo(allowed);
    }

    @Test
    void aConfigWithoutModelsHasAnEmptyCatalogue() {
        assertThat(reader.parse("general_settings:\n  master_key: sk-1\n").modelCatalogue())
                .isSameAs(ModelCatalogue.EMPTY);
    }

    @Test
    void refusesAnAliasWithoutATargetNamingTheKey() {
        assertThatThrownBy(() -> reader.parse("""
                router_settings:
                  model_group_alias:
                    fast:
                      hidden: true
                """)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("router_settings.model_group_alias.fast");
    }

    @Test
    void refusesAccessGroupsThatAreNotNames() {
        assertThatThrownBy(() -> reader.parse("""
                model_list:
                  - model_name: gpt-4o
                    litellm_params: {model: openai/gpt-4o}
                    model_info:
                      access_groups: {beta: true}
                """)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("model_list[0].model_info.access_groups");
    }
}
