package io.claimgate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LiteLLM's {@code issuers} list as {@code litellm_jwtauth} reads it. */
class IssuerSettingsTest {

    private static final String REALM_A = "https://kc.example.com/realms/a";
    private static final String K8S = "https://kubernetes.default.svc.cluster.local";

    @Test
    void readsEachIssuerWithItsAudienceKeysAndClaimFields() {
        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of(
                "user_id_jwt_field", "sub",
                "issuers", List.of(
                        Map.of("issuer", REALM_A, "audience", "litellm", "team_id_jwt_field", "team"),
                        Map.of("issuer", K8S, "audience", List.of("litellm", "api"),
                                "jwks_url", "https://k8s.internal/openid/v1/jwks",
                                "user_id_jwt_field", "kubernetes.io.serviceaccount.name"))));

        List<IssuerSettings> issuers = settings.keySource().issuers();

        assertThat(issuers).extracting(IssuerSettings::issuer).containsExactly(REALM_A, K8S);
        assertThat(issuers.get(0).audiences()).containsExactly("litellm");
        assertThat(issuers.get(1).audiences()).containsExactly("litellm", "api");
        assertThat(issuers.get(1).keyUrl()).isEqualTo("https://k8s.internal/openid/v1/jwks");
        assertThat(issuers.get(1).claims(settings.claims()).userIdJwtField())
                .isEqualTo("kubernetes.io.serviceaccount.name");
    }

    @Test
    void findsKeysThroughTheIssuersDiscoveryDocumentByDefault() {
        IssuerSettings withSlash = issuer(Map.of("issuer", REALM_A + "/", "audience", "litellm"));

        assertThat(withSlash.keyUrl()).isEqualTo(REALM_A + "/.well-known/openid-configuration");
    }

    @Test
    void readsAFieldTheEntryDoesNotSetFromTheGlobalFields() {
        ClaimFields global = JwtAuthSettings.fromLiteLlm(Map.of("team_id_jwt_field", "groups",
                "user_id_jwt_field", "sub", "team_id_default", "default-team")).claims();
        IssuerSettings entry = issuer(Map.of("issuer", REALM_A, "audience", "litellm",
                "team_id_jwt_field", "team"));

        ClaimFields fields = entry.claims(global);

        assertThat(fields.teamIdJwtField()).isEqualTo("team");
        assertThat(fields.userIdJwtField()).isEqualTo("sub");
        assertThat(fields.teamIdDefault()).isEqualTo("default-team");
    }

    @Test
    void checksItsOwnIssuerAndAudienceWithTheGlobalLifetimeRules() {
        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of("leeway", 30,
                "issuers", List.of(Map.of("issuer", REALM_A, "audience", "litellm"))))
                .environment(Map.of(JwtAuthSettings.ENV_ISSUER, "https://other", JwtAuthSettings.ENV_AUDIENCE, "x"));

        TokenRules rules = settings.keySource().issuers().get(0).tokenRules(settings.token());

        assertThat(rules.issuer()).isEqualTo(REALM_A);
        assertThat(rules.audiences()).containsExactly("litellm");
        assertThat(rules.leeway()).isEqualTo(settings.token().leeway());
        assertThat(settings.token().issuer()).isEqualTo("https://other");
    }

    @Test
    void keepsTheIssuersWhenTheEnvironmentSetsTheGlobalKeyUrl() {
        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of(
                "issuers", List.of(Map.of("issuer", REALM_A, "audience", "litellm"))))
                .environment(Map.of(JwtAuthSettings.ENV_PUBLIC_KEY_URL, "https://idp/certs"));

        assertThat(settings.keySource().publicKeyUrls()).containsExactly("https://idp/certs");
        assertThat(settings.keySource().issuers()).hasSize(1);
    }

    @Test
    void refusesAnIssuerWithoutAnAudienceUnlessValidationIsExplicitlyDisabled() {
        assertThatThrownBy(() -> issuers(Map.of("issuer", REALM_A)))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.audience");
                    assertThat(e.problem()).contains("disable_audience_validation");
                });

        IssuerSettings open = issuer(Map.of("issuer", REALM_A, "disable_audience_validation", true));
        assertThat(open.audiences()).isEmpty();
        assertThat(open.audienceValidationDisabled()).isTrue();
    }

    @Test
    void refusesAnIssuerListedTwice() {
        Map<String, Object> entry = Map.of("issuer", REALM_A, "audience", "litellm");

        assertThatThrownBy(() -> issuers(entry, entry))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.problem()).contains("listed twice"));
    }

    @Test
    void refusesAnEntryWithoutIssuer() {
        assertThatThrownBy(() -> issuers(Map.of("audience", "litellm")))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.issuer"));
    }

    @Test
    void refusesAMisspeltKeyInAnEntryNamingTheAllowedOnes() {
        assertThatThrownBy(() -> issuers(Map.of("issuer", REALM_A, "audience", "litellm",
                "team_id_jwt_feild", "team")))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.team_id_jwt_feild");
                    assertThat(e.problem()).contains("team_id_jwt_field", "jwks_url");
                });
    }

    @Test
    void refusesAPerIssuerVirtualKeyClaimFieldItWouldIgnore() {
        assertThatThrownBy(() -> issuers(Map.of("issuer", REALM_A, "audience", "litellm",
                "virtual_key_claim_field", "client_id")))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.virtual_key_claim_field");
                    assertThat(e.problem()).startsWith("is not supported by Claimgate");
                });
    }

    @Test
    void refusesAnIssuerThatIsNoUrlWithoutAJwksUrl() {
        assertThatThrownBy(() -> issuers(Map.of("issuer", "kubernetes", "audience", "litellm")))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.jwks_url"));

        assertThat(issuer(Map.of("issuer", "kubernetes", "audience", "litellm",
                "jwks_url", "https://k8s.internal/openid/v1/jwks")).keyUrl())
                .isEqualTo("https://k8s.internal/openid/v1/jwks");
    }

    @Test
    void refusesAJwksUrlThatIsNotHttp() {
        assertThatThrownBy(() -> issuers(Map.of("issuer", REALM_A, "audience", "litellm",
                "jwks_url", "file:///etc/keys.json")))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.jwks_url"));
    }

    @Test
    void refusesAnIssuerOfAbsurdLength() {
        assertThatThrownBy(() -> issuers(Map.of("issuer", "https://" + "a".repeat(2000), "audience", "x")))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers.issuer"));
    }

    @Test
    void readsAnEmptyListAsNoIssuer() {
        assertThat(JwtAuthSettings.fromLiteLlm(Map.of("issuers", List.of())).keySource().issuers()).isEmpty();
        assertThat(JwtAuthSettings.defaults().keySource().hasKeys()).isFalse();
    }

    @Test
    void refusesAnIssuersValueThatIsNoList() {
        assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("issuers", REALM_A)))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("litellm_jwtauth.issuers"));
    }

    @SafeVarargs
    private static List<IssuerSettings> issuers(Map<String, Object>... entries) {
        return JwtAuthSettings.fromLiteLlm(Map.of("issuers", List.of(entries))).keySource().issuers();
    }

    private static IssuerSettings issuer(Map<String, Object> entry) {
        return issuers(new LinkedHashMap<>(entry)).get(0);
    }
}
