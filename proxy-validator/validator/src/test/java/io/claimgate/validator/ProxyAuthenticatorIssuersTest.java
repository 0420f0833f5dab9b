package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.AuthResult;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.token.Rejection;
import io.claimgate.validator.token.StaticKeySource;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * LiteLLM's {@code issuers}: two realms as two issuers of one pipeline. Each token is verified only with its own
 * issuer's keys and audience, and read with its own issuer's claim fields.
 */
class ProxyAuthenticatorIssuersTest {

    private static final String REALM_A = "https://kc.example.com/realms/a";
    private static final String REALM_B = "https://kc.example.com/realms/b";
    private static final String GLOBAL = "https://legacy.example.com";

    private static final TokenMint KEYS_A = new TokenMint("kid-a");
    private static final TokenMint KEYS_B = new TokenMint("kid-b");
    private static final TokenMint KEYS_GLOBAL = new TokenMint("kid-global");

    private final ProxyAuthenticatorTest.MovableClock clock = new ProxyAuthenticatorTest.MovableClock(Instant.now());
    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(team("research"))
            .team(team("platform"))
            .user(new User("alice", null, null, ProxyRole.INTERNAL_USER, null, List.of("research"), List.of(), null,
                    0))
            .user(new User("svc-deployer", null, null, ProxyRole.INTERNAL_USER, null, List.of("platform"),
                    List.of(), null, 0));

    /** Realm A names users by preferred_username and teams by team_id; realm B by client_id and groups. */
    private LiteLlmBlock block() {
        return new LiteLlmBlock()
                .set("user_id_jwt_field", "preferred_username")
                .set("team_id_jwt_field", "team_id")
                .set("issuers", List.of(
                        Map.of("issuer", REALM_A, "audience", "llm-gateway"),
                        Map.of("issuer", REALM_B, "audience", List.of("gateway-b"),
                                "user_id_jwt_field", "client_id", "team_id_jwt_field", "groups")));
    }

    private ProxyAuthenticator authenticator(JwtAuthSettings settings, boolean withGlobalKeys) {
        ProxyAuthenticator.Builder builder = ProxyAuthenticator.builder(settings)
                .issuerKeySource(REALM_A, StaticKeySource.of(KEYS_A.publicKey()))
                .issuerKeySource(REALM_B, StaticKeySource.of(KEYS_B.publicKey()))
                .directory(directory)
                .clock(clock);
        if (withGlobalKeys) {
            builder.keySource(StaticKeySource.of(KEYS_GLOBAL.publicKey()));
        }
        return builder.build();
    }

    private final ProxyAuthenticator auth = authenticator(block().settings(), false);

    private String token(TokenMint keys, String issuer, String audience, Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(claims);
        all.put("iss", issuer);
        all.put("aud", audience);
        return keys.token(clock.instant(), all);
    }

    private static Team team(String id) {
        return new Team(id, id + "-alias", null, List.of("gpt-4o-mini"), null, 0, false, Map.of());
    }

    private static AuthException refusal(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(AuthException.class);
        return (AuthException) thrown;
    }

    private AuthResult call(ProxyAuthenticator authenticator, String token) {
        return authenticator.authenticate(AuthRequest.of(token, "/chat/completions", "gpt-4o-mini"));
    }

    @Test
    void acceptsATokenOfEachIssuerReadWithItsOwnFields() {
        AuthResult fromA = call(auth, token(KEYS_A, REALM_A, "llm-gateway",
                Map.of("preferred_username", "alice", "team_id", "research")));
        AuthResult fromB = call(auth, token(KEYS_B, REALM_B, "gateway-b",
                Map.of("client_id", "svc-deployer", "groups", List.of("platform"))));

        assertThat(fromA.userId()).isEqualTo("alice");
        assertThat(fromA.teamId()).isEqualTo("research");
        assertThat(fromB.userId()).isEqualTo("svc-deployer");
        assertThat(fromB.teamId()).isEqualTo("platform");
    }

    @Test
    void readsATokenOfIssuerBWithBsFieldsEvenWhereAsFieldsWouldNameSomeoneElse() {
        // Under A's fields this token would be alice in research; B's fields make it svc-deployer in platform.
        AuthResult result = call(auth, token(KEYS_B, REALM_B, "gateway-b", Map.of(
                "preferred_username", "alice", "team_id", "research",
                "client_id", "svc-deployer", "groups", List.of("platform"))));

        assertThat(result.userId()).isEqualTo("svc-deployer");
        assertThat(result.teamId()).isEqualTo("platform");
    }

    @Test
    void refusesATokenSignedByBThatClaimsAsIssuer() {
        AuthException e = refusal(() -> call(auth, token(KEYS_B, REALM_A, "llm-gateway",
                Map.of("preferred_username", "alice", "team_id", "research"))));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_KID);
    }

    @Test
    void refusesATokenSignedByBThatClaimsAsIssuerEvenWhenItsKidIsAs() {
        TokenMint impostor = new TokenMint("kid-a");

        AuthException e = refusal(() -> call(auth, token(impostor, REALM_A, "llm-gateway",
                Map.of("preferred_username", "alice", "team_id", "research"))));

        assertThat(e.reason()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void checksEachIssuersOwnAudience() {
        AuthException e = refusal(() -> call(auth, token(KEYS_B, REALM_B, "llm-gateway",
                Map.of("client_id", "svc-deployer", "groups", List.of("platform")))));

        assertThat(e.reason()).isEqualTo(Rejection.AUDIENCE_MISMATCH);
    }

    @Test
    void refusesAnUnlistedIssuerWithoutAGlobalKeySource() {
        AuthException e = refusal(() -> call(auth, token(KEYS_A, "https://kc.example.com/realms/c", "llm-gateway",
                Map.of("preferred_username", "alice", "team_id", "research"))));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_ISSUER);
    }

    @Test
    void verifiesAnUnlistedIssuerWithTheGlobalKeySourceAndRulesAsLiteLlmDoes() {
        ProxyAuthenticator withGlobal = authenticator(block().issuer(GLOBAL).audiences(List.of("legacy"))
                .settings(), true);

        AuthResult result = call(withGlobal, token(KEYS_GLOBAL, GLOBAL, "legacy",
                Map.of("preferred_username", "alice", "team_id", "research")));
        AuthException wrongIssuer = refusal(() -> call(withGlobal, token(KEYS_GLOBAL, "https://elsewhere", "legacy",
                Map.of("preferred_username", "alice", "team_id", "research"))));
        AuthException listedButGlobalKey = refusal(() -> call(withGlobal, token(KEYS_GLOBAL, REALM_A, "llm-gateway",
                Map.of("preferred_username", "alice", "team_id", "research"))));

        assertThat(result.userId()).isEqualTo("alice");
        assertThat(wrongIssuer.reason()).isEqualTo(Rejection.ISSUER_MISMATCH);
        assertThat(listedButGlobalKey.reason()).isEqualTo(Rejection.UNKNOWN_KID);
    }

    @Test
    void requiresATeamForTheTokensOfAnIssuerWhoseOwnFieldsNameOne() {
        ProxyAuthenticator onlyB = authenticator(new LiteLlmBlock()
                .set("user_id_jwt_field", "preferred_username")
                .set("user_id_upsert", true)
                .set("issuers", List.of(
                        Map.of("issuer", REALM_A, "audience", "llm-gateway"),
                        Map.of("issuer", REALM_B, "audience", "gateway-b", "team_id_jwt_field", "groups")))
                .settings(), false);

        AuthException e = refusal(() -> call(onlyB, token(KEYS_B, REALM_B, "gateway-b",
                Map.of("preferred_username", "alice"))));

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("team_id field 'groups'");
        assertThat(call(onlyB, token(KEYS_A, REALM_A, "llm-gateway", Map.of("preferred_username", "alice")))
                .userId()).isEqualTo("alice");
    }

    @Test
    void remembersAVerifiedTokenOnlyWhileItsOwnIssuerStillHoldsItsKey() {
        String fromB = token(KEYS_B, REALM_B, "gateway-b",
                Map.of("client_id", "svc-deployer", "groups", List.of("platform")));

        call(auth, fromB);
        call(auth, fromB);

        assertThat(auth.knownTokenCount()).isEqualTo(1);
    }

    @Test
    void refusesAKeySourceForAnIssuerTheSettingsDoNotList() {
        assertThatThrownBy(() -> ProxyAuthenticator.builder(block().settings())
                .issuerKeySource(REALM_A, StaticKeySource.of(KEYS_A.publicKey()))
                .issuerKeySource(REALM_B, StaticKeySource.of(KEYS_B.publicKey()))
                .issuerKeySource("https://kc.example.com/realms/c", StaticKeySource.of(KEYS_A.publicKey()))
                .directory(directory)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("realms/c");
    }
}
