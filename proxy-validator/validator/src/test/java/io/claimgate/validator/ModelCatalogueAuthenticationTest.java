package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.access.ModelCatalogue;
import io.claimgate.validator.access.ModelCatalogue.Deployment;
import io.claimgate.validator.token.StaticKeySource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The builder's model catalogue reaches every model decision of the pipeline: the team chosen from the token's list,
 * the team's check, the user's check. The rules themselves are {@code RouterModelAccessTest}'s.
 */
class ModelCatalogueAuthenticationTest {

    private static final TokenMint MINT = new TokenMint("kc-1");

    private static final ModelCatalogue PROXY = ModelCatalogue.of(List.of(
            new Deployment("gpt-4o", "openai/gpt-4o", List.of("beta-models")),
            new Deployment("claude-opus", "anthropic/claude-opus", List.of()),
            new Deployment("gpt-4o-team-1", "azure/gpt-4o-team-1", List.of())),
            Map.of("fast", "gpt-4o"));

    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(new Team("opus-only", null, null, List.of("claude-opus"), null, 0, false, Map.of()))
            .team(new Team("beta", null, null, List.of("beta-models"), null, 0, false, Map.of()))
            .team(new Team("aliased", null, null, List.of("gpt-4o-team-1"), null, 0, false, Map.of(),
                    Map.of("house-gpt", "gpt-4o-team-1")))
            .user(new User("alice", null, null, ProxyRole.INTERNAL_USER, null, List.of(), List.of("anthropic/*"),
                    null, 0));

    private ProxyAuthenticator authenticator(ModelCatalogue catalogue) {
        return authenticator(catalogue, new LiteLlmBlock()
                .set("team_id_jwt_field", "team_id")
                .set("team_ids_jwt_field", "team_ids"));
    }

    private ProxyAuthenticator authenticator(ModelCatalogue catalogue, LiteLlmBlock block) {
        return ProxyAuthenticator.builder(block
                        .set("user_id_jwt_field", "preferred_username")
                        .issuer(TokenMint.ISSUER)
                        .audiences(List.of(TokenMint.AUDIENCE))
                        .settings())
                .keySource(StaticKeySource.of(MINT.publicKey()))
                .directory(directory)
                .modelCatalogue(catalogue)
                .build();
    }

    private static String token(Map<String, Object> claims) {
        return MINT.token(Instant.now(), claims);
    }

    @Test
    void choosesTheFirstTeamWhoseAccessGroupHoldsTheModel() {
        // only team_ids_jwt_field: with team_id_jwt_field set, a token without team_id is refused (LiteLLM's order)
        AuthResult result = authenticator(PROXY, new LiteLlmBlock().set("team_ids_jwt_field", "team_ids"))
                .authenticate(AuthRequest.of(token(Map.of("team_ids", List.of("opus-only", "beta"))),
                        "/chat/completions", "gpt-4o"));

        assertThat(result.teamId()).isEqualTo("beta");
    }

    @Test
    void checksARouterAliasAsTheModelItRuns() {
        ProxyAuthenticator auth = authenticator(PROXY);

        assertThat(auth.authenticate(AuthRequest.of(token(Map.of("team_id", "beta")), "/chat/completions", "fast"))
                .teamId()).isEqualTo("beta");
        AuthException refused = catchThrowableOfType(() -> auth.authenticate(AuthRequest.of(
                token(Map.of("team_id", "opus-only")), "/chat/completions", "fast")), AuthException.class);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.type()).isEqualTo(ErrorType.TEAM_MODEL_ACCESS_DENIED);
    }

    @Test
    void allowsATeamModelAliasOfTheTeamsModel() {
        AuthResult result = authenticator(PROXY).authenticate(AuthRequest.of(
                token(Map.of("team_id", "aliased")), "/chat/completions", "house-gpt"));

        assertThat(result.teamId()).isEqualTo("aliased");
    }

    @Test
    void decidesAUsersProviderWildcardAgainstTheDeploymentsProvider() {
        // without team fields a token may come without a team, and the user's models decide
        ProxyAuthenticator auth = authenticator(PROXY, new LiteLlmBlock());

        assertThat(auth.authenticate(AuthRequest.of(token(Map.of("preferred_username", "alice")),
                "/chat/completions", "claude-opus")).userId()).isEqualTo("alice");
        AuthException refused = catchThrowableOfType(() -> auth.authenticate(AuthRequest.of(
                token(Map.of("preferred_username", "alice")), "/chat/completions", "gpt-4o")), AuthException.class);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.type()).isEqualTo(ErrorType.USER_MODEL_ACCESS_DENIED);
    }

    @Test
    void withoutACatalogueAGroupNameGrantsNoModel() {
        AuthException refused = catchThrowableOfType(() -> authenticator(ModelCatalogue.EMPTY).authenticate(
                AuthRequest.of(token(Map.of("team_id", "beta")), "/chat/completions", "gpt-4o")),
                AuthException.class);

        assertThat(refused.status()).isEqualTo(403);
    }
}
