package io.claimgate.validator.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteGroupsTest {

    /** LiteLLM's LiteLLMRoutes lists as copied from litellm/proxy/_types.py, kept as test data. */
    private static Map<String, List<String>> litellmInventory() throws IOException {
        try (InputStream in = RouteGroupsTest.class.getResourceAsStream("/litellm/route_groups.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<LinkedHashMap<String, List<String>>>() { });
        }
    }

    @Test
    void everyGroupHoldsLiteLlmsRoutesInLiteLlmsOrder() throws IOException {
        Map<String, List<String>> inventory = litellmInventory();

        assertThat(RouteGroups.names()).containsExactlyInAnyOrderElementsOf(inventory.keySet());
        inventory.forEach((group, routes) -> assertThat(RouteGroups.routes(group)).as(group).isEqualTo(routes));
    }

    @Test
    void llmApiRoutesIsTheUnionOfItsParts() {
        List<String> llm = RouteGroups.routes(RouteGroups.LLM_API_ROUTES);

        assertThat(llm).containsAll(RouteGroups.routes(RouteGroups.OPENAI_ROUTES))
                .containsAll(RouteGroups.routes(RouteGroups.ANTHROPIC_ROUTES))
                .containsAll(RouteGroups.routes("mcp_inference_routes"))
                .doesNotContainAnyElementsOf(RouteGroups.routes("mcp_management_routes"));
    }

    @Test
    void mcpRoutesCoverInferenceAndManagement() {
        assertThat(RouteGroups.routes(RouteGroups.MCP_ROUTES)).contains("/mcp/tools/call", "/v1/mcp/server/{path:path}");
    }

    @ParameterizedTest
    @CsvSource({
            "openai_routes, /chat/completions", "openai_routes, /v1/embeddings", "anthropic_routes, /v1/messages",
            "info_routes, /key/info", "info_routes, /health", "management_routes, /team/new",
            "management_routes, /key/generate", "spend_tracking_routes, /spend/logs",
            "global_spend_tracking_routes, /global/spend/report", "public_routes, /health/liveliness",
            "public_routes, /"})
    void knownRoutesAreInTheirGroups(String group, String route) {
        assertThat(RouteGroups.routes(group)).contains(route);
    }

    @Test
    void chatCompletionsIsNotInAnyDefaultAdminGroup() {
        for (String group : List.of("management_routes", "spend_tracking_routes", "global_spend_tracking_routes",
                "info_routes")) {
            assertThat(RouteGroups.routes(group)).as(group).doesNotContain("/chat/completions");
        }
    }

    @Test
    void unknownNamesAreNotGroups() {
        assertThat(RouteGroups.isGroup("openai_route_names")).isFalse();
        assertThat(RouteGroups.isGroup("/chat/completions")).isFalse();
        assertThat(RouteGroups.routes("nope")).isEmpty();
    }

    @Test
    void expandReplacesGroupsAndKeepsOtherEntries() {
        assertThat(RouteGroups.expand(List.of("/custom", "anthropic_routes")))
                .containsExactly("/custom", "/v1/messages", "/v1/messages/count_tokens", "/v1/skills",
                        "/v1/skills/{skill_id}");
    }
}
