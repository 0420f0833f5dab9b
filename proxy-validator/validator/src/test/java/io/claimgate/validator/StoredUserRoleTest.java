package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.token.StaticKeySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user made {@code proxy_admin} through {@code /user/new} or LiteLLM's UI is an admin under JWT, as LiteLLM's
 * {@code is_proxy_admin} makes it; other stored roles never change what the token allows.
 */
class StoredUserRoleTest {

    private static final TokenMint MINT = new TokenMint("kc-stored");

    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(new Team("research", "Research", null, List.of("gpt-4o-mini"), null, 0, false, Map.of()));

    private final ProxyAuthenticator auth = ProxyAuthenticator.builder(new LiteLlmBlock()
                    .set("user_id_jwt_field", "sub")
                    .set("team_ids_jwt_field", "groups")
                    .issuer(TokenMint.ISSUER)
                    .audiences(List.of(TokenMint.AUDIENCE))
                    .settings())
            .keySource(StaticKeySource.of(MINT.publicKey()))
            .directory(directory)
            .build();

    private void stored(String userId, ProxyRole role) {
        directory.user(new User(userId, null, null, role, null, List.of(), List.of("gpt-4o-mini"), 1.0, 0));
    }

    private static String token(String sub) {
        return MINT.token(Map.of("sub", sub));
    }

    @Test
    void aUserStoredAsProxyAdminMayCallManagementRoutesWithAPlainUserToken() {
        // given a row promoted in LiteLLM's UI, and a token without the admin scope
        stored("alice", ProxyRole.PROXY_ADMIN);

        // when
        Caller caller = auth.identify(token("alice"), "/user/new");

        // then it is decided as an admin before any body is read
        assertThat(caller.decided()).hasValueSatisfying(result -> {
            assertThat(result.proxyAdmin()).isTrue();
            assertThat(result.userId()).isEqualTo("alice");
        });
    }

    @Test
    void aUserStoredAsInternalUserIsRefusedManagementRoutes() {
        stored("bob", ProxyRole.INTERNAL_USER);

        AuthException refused = catchThrowableOfType(() -> auth.identify(token("bob"), "/user/new"),
                AuthException.class);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reason()).isEqualTo("route_not_allowed");
    }

    @ParameterizedTest
    @EnumSource(value = ProxyRole.class, names = {"PROXY_ADMIN_VIEWER", "ORG_ADMIN", "INTERNAL_USER_VIEWER"})
    void storedRolesWhoseManagementRightsClaimgateCannotScopeAreRefusedManagementRoutes(ProxyRole role) {
        stored("viewer", role);

        AuthException refused = catchThrowableOfType(() -> auth.identify(token("viewer"), "/user/new"),
                AuthException.class);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.getMessage()).contains("Your role=internal_user");
    }

    @ParameterizedTest
    @EnumSource(value = ProxyRole.class, names = {"PROXY_ADMIN_VIEWER", "ORG_ADMIN", "INTERNAL_USER_VIEWER"})
    void storedRolesNeverTakeAwayWhatTheTokenAllows(ProxyRole role) {
        stored("viewer", role);

        AuthResult result = auth.authenticate(AuthRequest.of(token("viewer"), "/chat/completions", "gpt-4o-mini"));

        assertThat(result.proxyAdmin()).isFalse();
        assertThat(result.userId()).isEqualTo("viewer");
    }

    @Test
    void aStoredAdminOnAnInferenceRouteKeepsTheTokensRoleAndItsChecks() {
        // admin_allowed_routes does not cover /chat/completions by default: there the token's role decides
        stored("alice", ProxyRole.PROXY_ADMIN);

        AuthException refused = catchThrowableOfType(() -> auth.authenticate(AuthRequest.of(token("alice"),
                "/chat/completions", "gpt-4o")), AuthException.class);

        assertThat(refused.type()).isEqualTo(ErrorType.USER_MODEL_ACCESS_DENIED);
    }

    @Test
    void aDemotionCountsOnTheNextRequestWithTheSameToken() {
        stored("alice", ProxyRole.PROXY_ADMIN);
        String token = token("alice");
        assertThat(auth.identify(token, "/user/new").decided()).isPresent();

        stored("alice", ProxyRole.INTERNAL_USER);

        AuthException refused = catchThrowableOfType(() -> auth.identify(token, "/user/new"), AuthException.class);
        assertThat(refused.reason()).isEqualTo("route_not_allowed");
    }

    @Test
    void anUnknownUserOnAManagementRouteIsRefusedAndNotCreated() {
        AuthException refused = catchThrowableOfType(() -> auth.identify(token("stranger"), "/user/new"),
                AuthException.class);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(directory.users).doesNotContainKey("stranger");
    }

    @Test
    void inferenceTrafficCostsNoExtraLookup() {
        stored("carol", ProxyRole.INTERNAL_USER);
        int before = directory.lookups.get();

        auth.identify(token("carol"), "/chat/completions");

        assertThat(directory.lookups.get()).isEqualTo(before);
    }
}
