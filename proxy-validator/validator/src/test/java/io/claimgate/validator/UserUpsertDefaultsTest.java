package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.model.AuthResult;
import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.token.StaticKeySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code user_id_upsert} with {@code default_internal_user_params}: new users start constrained, as in LiteLLM. */
class UserUpsertDefaultsTest {

    private static final TokenMint MINT = new TokenMint("kc-defaults");

    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(new Team("research", "Research", null, List.of("gpt-4o-mini"), null, 0, false, Map.of()));

    private ProxyAuthenticator authenticator(DefaultUserParams defaults) {
        return ProxyAuthenticator.builder(new LiteLlmBlock()
                        .set("user_id_jwt_field", "sub")
                        .set("team_ids_jwt_field", "groups")
                        .set("user_id_upsert", true)
                        .issuer(TokenMint.ISSUER)
                        .audiences(List.of(TokenMint.AUDIENCE))
                        .settings())
                .keySource(StaticKeySource.of(MINT.publicKey()))
                .directory(directory)
                .defaultUserParams(defaults)
                .build();
    }

    @Test
    void aUserCreatedOnFirstSightGetsTheDefaultModelsRoleAndBudget() {
        // given defaults as LiteLLM documents them
        ProxyAuthenticator auth = authenticator(new DefaultUserParams(ProxyRole.INTERNAL_USER_VIEWER,
                List.of("gpt-4o-mini"), 5.0, "30d", null, null, List.of()));

        // when a caller nobody created makes a personal request
        AuthResult result = auth.authenticate(AuthRequest.of(MINT.token(Map.of("sub", "newcomer")),
                "/chat/completions", "gpt-4o-mini"));

        // then the stored row carries the defaults
        User stored = directory.users.get("newcomer");
        assertThat(stored.userRole()).isEqualTo(ProxyRole.INTERNAL_USER_VIEWER);
        assertThat(stored.models()).containsExactly("gpt-4o-mini");
        assertThat(stored.maxBudget()).isEqualTo(5.0);
        assertThat(result.user()).isEqualTo(stored);
    }

    @Test
    void theDefaultModelsLimitWhatANewUserMayCallWithoutATeam() {
        ProxyAuthenticator auth = authenticator(new DefaultUserParams(null, List.of("gpt-4o-mini"), null, null,
                null, null, List.of()));

        AuthException refused = catchThrowableOfType(() -> auth.authenticate(AuthRequest.of(
                MINT.token(Map.of("sub", "newcomer")), "/chat/completions", "gpt-4o")), AuthException.class);

        assertThat(refused).isNotNull();
        assertThat(refused.type()).isEqualTo(ErrorType.USER_MODEL_ACCESS_DENIED);
        assertThat(directory.users.get("newcomer").models()).containsExactly("gpt-4o-mini");
    }

    @Test
    void theDefaultBudgetRefusesANewUserOnceSpent() {
        // given a new user created with LiteLLM's default personal budget
        ProxyAuthenticator auth = authenticator(new DefaultUserParams(null, List.of(), 5.0, null, null, null,
                List.of()));
        auth.authenticate(AuthRequest.of(MINT.token(Map.of("sub", "newcomer")), "/chat/completions", "gpt-4o"));
        User created = directory.users.get("newcomer");

        // when the user has spent more than it
        directory.user(new User(created.userId(), null, null, created.userRole(), null, created.teams(),
                created.models(), created.maxBudget(), 5.5));

        // then a personal request is refused
        AuthException refused = catchThrowableOfType(() -> auth.authenticate(AuthRequest.of(
                MINT.token(Map.of("sub", "newcomer")), "/chat/completions", "gpt-4o")), AuthException.class);
        assertThat(refused).isNotNull();
        assertThat(refused.type()).isEqualTo(ErrorType.BUDGET_EXCEEDED);
    }

    @Test
    void withoutDefaultsANewUserIsAnInternalUserWithAllModels() {
        ProxyAuthenticator auth = authenticator(DefaultUserParams.NONE);

        auth.authenticate(AuthRequest.of(MINT.token(Map.of("sub", "newcomer")), "/chat/completions", "gpt-4o"));

        User stored = directory.users.get("newcomer");
        assertThat(stored.userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
        assertThat(stored.models()).isEmpty();
        assertThat(stored.maxBudget()).isNull();
    }

    @Test
    void anExistingUserKeepsItsOwnRow() {
        directory.user(new User("veteran", null, null, ProxyRole.INTERNAL_USER, null, List.of(), List.of("gpt-4o"),
                null, 0));
        ProxyAuthenticator auth = authenticator(new DefaultUserParams(null, List.of("gpt-4o-mini"), 0.0, null, null,
                null, List.of()));

        AuthResult result = auth.authenticate(AuthRequest.of(MINT.token(Map.of("sub", "veteran")),
                "/chat/completions", "gpt-4o"));

        assertThat(result.user().models()).containsExactly("gpt-4o");
    }
}
