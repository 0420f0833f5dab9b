package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.config.GatewayConfigReader;
import io.claimgate.gateway.support.Http;
import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Caller;
import io.claimgate.validator.access.ModelAccess;
import io.claimgate.validator.access.ModelCatalogue;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;






import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /models} over real HTTP for a LiteLLM {@code config.yaml} with access groups, provider prefixes and aliases:
 * the list expands groups, provider wildcards and aliases against {@code model_list}, and shows exactly the names the
 * model check lets the caller call.
 */
class RouterModelsIT {

    private static final String CONFIG = """
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o}
                model_info: {access_groups: [beta-models]}
              - model_name: gpt-4o-mini
                litellm_params: {model: openai/gpt-4o-mini}
              - model_name: claude
                litellm_params: {model: anthropic/claude-3-5-sonnet}
                model_info: {access_groups: [claude-tier]}
              - model_name: team-1-gpt
                litellm_params: {model: azure/gpt-4o-team-1}
            router_settings:
              model_group_alias:
                fast: gpt-4o-mini
            """;

    private static final ModelCatalogue CATALOGUE = new GatewayConfigReader(Map.of()).parse(CONFIG).modelCatalogue();

    /** Each token is a caller whose team (or, without a team, user) has the models in its name. */
    private static final Map<String, AuthResult> CALLERS = Map.of(
            "team-beta", teamCaller(List.of("beta-models"), Map.of()),
            "team-openai", teamCaller(List.of("openai/*"), Map.of()),
            "team-unknown-group", teamCaller(List.of("no-such-group"), Map.of()),
            "team-aliased", teamCaller(List.of("team-1-gpt"), Map.of("house-gpt", "team-1-gpt", "sneaky", "claude")),
            "team-all", teamCaller(List.of(), Map.of()),
            "user-claude-tier", userCaller(List.of("claude-tier")));

    private static ModelsEndpointServer server;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = ModelsEndpointServer.start(new ModelsEndpoint(new TokenTable(), CATALOGUE));
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "team-beta          | gpt-4o",
            "team-openai        | gpt-4o,gpt-4o-mini,fast",
            "team-unknown-group | ''",
            "team-aliased       | team-1-gpt,house-gpt",
            "team-all           | gpt-4o,gpt-4o-mini,claude,team-1-gpt,fast",
            "user-claude-tier   | claude"})
    void listsExactlyTheNamesTheCallerMayCall(String token, String expected) throws Exception {
        // when the caller asks for its models
        HttpResponse<String> response = http.get("/v1/models", token);

        // then the list is the expansion of its groups, wildcards and aliases against model_list
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> shown = Http.json(response).get("data").findValuesAsText("id");
        assertThat(shown).containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of(expected.split(",")));

        // and every name shown, and no other name the caller could send for a deployment, passes the model check the request path makes
        AuthResult caller = CALLERS.get(token);
        Map<String, String> aliases = caller.team() == null ? Map.of() : caller.team().modelAliases();
        List<String> models = caller.team() != null ? caller.team().models() : caller.user().models();
        List<String> candidates = new ArrayList<>(CATALOGUE.requestableNames());
        candidates.addAll(aliases.keySet());
        for (String name : candidates) {
            assertThat(ModelAccess.permits(models, name, CATALOGUE, aliases)).as(name).isEqualTo(shown.contains(name));
        }
    }

    private static AuthResult teamCaller(List<String> models, Map<String, String> aliases) {
        Team team = new Team("t", "T", null, models, null, 0, false, Map.of(), aliases);
        return new AuthResult(false, ProxyRole.TEAM, "t", team, null, null, null, null, null, null, null,
                "1".repeat(64), Long.MAX_VALUE);
    }

    private static AuthResult userCaller(List<String> models) {
        User user = new User("u", null, null, ProxyRole.INTERNAL_USER, null, List.of(), models, null, 0);
        return new AuthResult(false, ProxyRole.INTERNAL_USER, null, null, "u", user, null, null, null, null, null,
                "2".repeat(64), Long.MAX_VALUE);
    }

    /** Answers from {@link #CALLERS}. */
    private static final class TokenTable implements Authenticator {

        @Override
        public Caller identify(String token, String route) {
            AuthResult caller = CALLERS.get(token);
            if (caller == null) {
                throw AuthException.unauthorized("token_invalid", "Invalid token");
            }
            return Caller.decided(caller);
        }

        @Override
        public AuthResult authorize(Caller caller, AuthRequest request) {
            return caller.decided().orElseThrow();
        }
    }
}
