package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.support.Http;
import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Caller;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;






import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /models} over real HTTP on 127.0.0.1: it lists exactly the proxy's models the caller's team (else user) may
 * call, by the same rule the model check applies.
 */
class ModelsEndpointIT {

    private static final List<String> PROXY_MODELS =
            List.of("gpt-4o", "openai/o3", "openai/gpt-4o-mini", "claude", "mistral");

    /** Each token is a caller whose team (or, without a team, user) allows the models in its name. */
    private static final Map<String, AuthResult> CALLERS = Map.of(
            "team-star", teamCaller(List.of("*")),
            "team-openai", teamCaller(List.of("openai/*")),
            "team-exact", teamCaller(List.of("claude", "gpt-4o", "not-served")),
            "team-all-proxy-models", teamCaller(List.of("all-proxy-models")),
            "team-empty", teamCaller(List.of()),
            "user-mistral", userCaller(List.of("mistral")),
            "user-no-default", userCaller(List.of("no-default-models")));

    private static final List<AuthRequest> SEEN = new CopyOnWriteArrayList<>();
    private static ModelsEndpointServer server;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = ModelsEndpointServer.start(new ModelsEndpoint(new TokenTable(), PROXY_MODELS));
        http = new Http(server.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "team-star             | gpt-4o,openai/o3,openai/gpt-4o-mini,claude,mistral",
            "team-all-proxy-models | gpt-4o,openai/o3,openai/gpt-4o-mini,claude,mistral",
            "team-empty            | gpt-4o,openai/o3,openai/gpt-4o-mini,claude,mistral",
            "team-openai           | openai/o3,openai/gpt-4o-mini",
            "team-exact            | gpt-4o,claude",
            "user-mistral          | mistral"})
    void listsExactlyTheServedModelsTheCallerMayCall(String token, String expected) throws Exception {
        HttpResponse<String> response = http.get("/v1/models", token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).get("object").asText()).isEqualTo("list");
        assertThat(Http.json(response).get("data").findValuesAsText("id"))
                .containsExactlyElementsOf(List.of(expected.split(",")));
    }

    @Test
    void listsNothingForAUserWhoMayOnlyCallModelsThroughATeam() throws Exception {
        HttpResponse<String> response = http.get("/models", "user-no-default");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).get("data")).isEmpty();
    }

    @Test
    void asksTheAuthenticatorWithTheCredentialRouteAndTeamHeaderOnly() throws Exception {
        http.send(http.request("/models").GET().header("Authorization", "Bearer team-openai")
                .header(CallerRequests.TEAM_HEADER, " research "));

        assertThat(SEEN).singleElement().satisfies(request -> {
            assertThat(request.token()).isEqualTo("team-openai");
            assertThat(request.route()).isEqualTo("/models");
            assertThat(request.requestedTeamId()).isEqualTo("research");
            assertThat(request.models()).isEmpty();
            assertThat(request.endUserId()).isNull();
        });
    }

    @Test
    void refusesAnUnknownCallerWithLiteLlmsErrorShape() throws Exception {
        HttpResponse<String> response = http.get("/models", "nobody");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response).get("error").get("code").asText()).isEqualTo("401");
    }

    private static AuthResult teamCaller(List<String> models) {
        Team team = new Team("t", "T", null, models, null, 0, false, Map.of());
        User user = new User("u", null, null, ProxyRole.INTERNAL_USER, null, List.of("t"), List.of("mistral"), null,
                0);
        return new AuthResult(false, ProxyRole.TEAM, "t", team, "u", user, null, null, null, null, null,
                "1".repeat(64), Long.MAX_VALUE);
    }

    private static AuthResult userCaller(List<String> models) {
        User user = new User("u", null, null, ProxyRole.INTERNAL_USER, null, List.of(), models, null, 0);
        return new AuthResult(false, ProxyRole.INTERNAL_USER, null, null, "u", user, null, null, null, null, null,
                "2".repeat(64), Long.MAX_VALUE);
    }

    /** Answers from {@link #CALLERS}; records what it was asked. */
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
            SEEN.add(request);
            return caller.decided().orElseThrow();
        }
    }
}
