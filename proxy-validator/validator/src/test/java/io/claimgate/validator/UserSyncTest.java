package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.token.StaticKeySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sync_user_role_and_teams} in the pipeline: the row follows the token, and agreeing rows cost no write. */
class UserSyncTest {

    private static final TokenMint MINT = new TokenMint("kc-sync");

    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(new Team("research", "Research", null, List.of(), null, 0, false, Map.of()))
            .team(new Team("support", "Support", null, List.of(), null, 0, false, Map.of()))
            .user(new User("alice", null, null, ProxyRole.INTERNAL_USER, null, List.of("support"), List.of(), null,
                    0));

    private ProxyAuthenticator authenticator(boolean sync) {
        LiteLlmBlock block = new LiteLlmBlock()
                .set("user_id_jwt_field", "sub")
                .set("team_ids_jwt_field", "groups")
                .set("roles_jwt_field", "roles")
                .set("jwt_litellm_role_map", List.of(Map.of("jwt_role", "viewer-*",
                        "litellm_role", "internal_user_viewer")))
                .issuer(TokenMint.ISSUER)
                .audiences(List.of(TokenMint.AUDIENCE));
        if (sync) {
            block.set("sync_user_role_and_teams", true);
        }
        return ProxyAuthenticator.builder(block.settings())
                .keySource(StaticKeySource.of(MINT.publicKey()))
                .directory(directory)
                .build();
    }

    private static String token() {
        return MINT.token(Map.of("sub", "alice", "groups", List.of("research"), "roles", List.of("viewer-eu")));
    }

    @Test
    void theUsersRoleAndTeamsFollowTheTokenOnLogin() {
        authenticator(true).authenticate(AuthRequest.of(token(), "/chat/completions", null));

        User synced = directory.users.get("alice");
        assertThat(synced.userRole()).isEqualTo(ProxyRole.INTERNAL_USER_VIEWER);
        assertThat(synced.teams()).containsExactly("research");
    }

    @Test
    void aRowThatAgreesWithTheTokenIsNotWrittenAgain() {
        ProxyAuthenticator auth = authenticator(true);
        auth.authenticate(AuthRequest.of(token(), "/chat/completions", null));

        auth.authenticate(AuthRequest.of(token(), "/chat/completions", null));
        auth.authenticate(AuthRequest.of(token(), "/chat/completions", null));

        assertThat(directory.syncs.get()).isEqualTo(1);
    }

    @Test
    void aTokenTeamMissingFromTheDatabaseDoesNotCauseAWriteOnEveryRequest() {
        // given a token that also lists a team the database does not have (the write skips it, as LiteLLM's add fails)
        ProxyAuthenticator auth = authenticator(true);
        String token = MINT.token(Map.of("sub", "alice", "groups", List.of("research", "ghost"),
                "roles", List.of("viewer-eu")));

        // when the user calls three times
        auth.authenticate(AuthRequest.of(token, "/chat/completions", null));
        auth.authenticate(AuthRequest.of(token, "/chat/completions", null));
        auth.authenticate(AuthRequest.of(token, "/chat/completions", null));

        // then the row was written once, and holds the teams that exist
        assertThat(directory.syncs.get()).isEqualTo(1);
        assertThat(directory.users.get("alice").teams()).containsExactly("research");
    }

    @Test
    void withoutTheSettingNothingIsWritten() {
        authenticator(false).authenticate(AuthRequest.of(token(), "/chat/completions", null));

        assertThat(directory.syncs.get()).isZero();
        assertThat(directory.users.get("alice").userRole()).isEqualTo(ProxyRole.INTERNAL_USER);
        assertThat(directory.users.get("alice").teams()).containsExactly("support");
    }

    @Test
    void isNoLongerListedAsIgnored() {
        assertThat(authenticator(true)).isNotNull();
        assertThat(new LiteLlmBlock().set("sync_user_role_and_teams", true).settings().ignoredKeys())
                .doesNotContain("sync_user_role_and_teams");
        assertThat(new LiteLlmBlock().set("sync_user_role_and_teams", true).settings().roles().syncUserRoleAndTeams())
                .isTrue();
    }
}
