package io.claimgate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtAuthSettingsTest {

    @Nested
    class Defaults {

        private final JwtAuthSettings settings = JwtAuthSettings.defaults();

        @Test
        void followLiteLlm() {
            assertThat(settings.adminJwtScope()).isEqualTo("litellm_proxy_admin");
            assertThat(settings.adminAllowedRoutes()).containsExactly("management_routes", "spend_tracking_routes",
                    "global_spend_tracking_routes", "info_routes");
            assertThat(settings.teamAllowedRoutes()).containsExactly("openai_routes", "info_routes", "mcp_routes");
            assertThat(settings.publicAllowedRoutes()).containsExactly("public_routes");
            assertThat(settings.publicKeyTtl()).isEqualTo(Duration.ofSeconds(600));
            assertThat(settings.leeway()).isZero();
            assertThat(settings.userIdUpsert()).isFalse();
            assertThat(settings.enforceRbac()).isFalse();
            assertThat(settings.teamIdJwtField()).isNull();
            assertThat(settings.userAllowedRoles()).isNull();
        }

        @Test
        void addClaimgatesSafeguards() {
            assertThat(settings.acceptedTokenTypes()).containsExactly("Bearer");
            assertThat(settings.maxTokenLength()).isEqualTo(16 * 1024);
            assertThat(settings.publicKeyStaleTtl()).isEqualTo(Duration.ofHours(1));
        }

        @Test
        void checkNeitherAudienceNorIssuerUntilSet() {
            assertThat(settings.audiences()).isEmpty();
            assertThat(settings.issuer()).isNull();
            assertThat(settings.publicKeyUrls()).isEmpty();
        }
    }

    @Nested
    class FromLiteLlmConfig {

        @Test
        void readsLiteLlmDocsExample() {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("admin_jwt_scope", "litellm-proxy-admin");
            block.put("team_id_jwt_field", "client_id");
            block.put("user_id_jwt_field", "sub");
            block.put("user_email_jwt_field", "email");
            block.put("user_roles_jwt_field", "resource_access.litellm.roles");
            block.put("user_allowed_roles", List.of("basic_user"));
            block.put("user_id_upsert", true);
            block.put("public_key_ttl", 30);
            block.put("enforce_rbac", true);
            block.put("roles_jwt_field", "resource_access.litellm-test-client-id.roles");
            block.put("role_mappings", List.of(Map.of("role", "litellm.api.consumer", "internal_role", "team")));
            block.put("scope_mappings", List.of(Map.of("scope", "litellm.api.consumer", "models", List.of("anthropic-claude"))));
            block.put("enforce_scope_based_access", true);
            block.put("jwt_litellm_role_map", List.of(Map.of("jwt_role", "ADMIN*", "litellm_role", "proxy_admin")));

            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(block).build();

            assertThat(settings.adminJwtScope()).isEqualTo("litellm-proxy-admin");
            assertThat(settings.teamIdJwtField()).isEqualTo("client_id");
            assertThat(settings.userAllowedRoles()).containsExactly("basic_user");
            assertThat(settings.userIdUpsert()).isTrue();
            assertThat(settings.publicKeyTtl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.roleMappings()).containsExactly(new RoleMapping("litellm.api.consumer", ProxyRole.TEAM));
            assertThat(settings.scopeMappings().get(0).models()).containsExactly("anthropic-claude");
            assertThat(settings.scopeMappings().get(0).routes()).isEmpty();
            assertThat(settings.jwtLitellmRoleMap())
                    .containsExactly(new JwtRoleMapping("ADMIN*", ProxyRole.PROXY_ADMIN));
        }

        @Test
        void refusesAnUnknownKeyListingTheAllowedOnes() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("team_id_jwt_feild", "x")))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("litellm_jwtauth.team_id_jwt_feild")
                    .hasMessageContaining("team_id_jwt_field")
                    .hasMessageContaining("admin_jwt_scope");
        }

        @Test
        void acceptsLiteLlmKeysItDoesNotImplementAndReportsThem() {
            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(
                    Map.of("oidc_userinfo_enabled", true, "team_id_jwt_field", "team")).build();

            assertThat(settings.ignoredKeys()).containsExactly("oidc_userinfo_enabled");
            assertThat(JwtAuthSettings.keysNotImplemented()).contains("oidc_userinfo_enabled", "issuers");
        }

        @ParameterizedTest
        @ValueSource(strings = {"virtual_key_claim_field", "routing_overrides",
                "issuers", "fallback_to_db_teams"})
        void refusesALiteLlmKeyThatWouldNarrowAccessNamingIt(String key) {
            Object value = switch (key) {
                case "issuers" -> List.of(Map.of("issuer", "https://idp.example.com"));
                case "routing_overrides" -> List.of(Map.of("iss", "https://idp.example.com"));
                case "fallback_to_db_teams" -> true;
                default -> "virtual_key";
            };

            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of(key, value)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("litellm_jwtauth." + key + ": is not supported by Claimgate")
                    .satisfies(e -> assertThat(((SettingsException) e).key()).isEqualTo("litellm_jwtauth." + key));
        }

        @Test
        void acceptsANarrowingKeyThatAsksForNothing() {
            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of("issuers", List.of(),
                    "fallback_to_db_teams", false)).build();

            assertThat(settings.ignoredKeys()).isEmpty();
        }

        @Test
        void readsTrustUnverifiedEmailOffByDefault() {
            assertThat(JwtAuthSettings.defaults().trustUnverifiedEmail()).isFalse();
            assertThat(JwtAuthSettings.fromLiteLlm(Map.of("trust_unverified_email", true)).build()
                    .trustUnverifiedEmail()).isTrue();
            assertThat(JwtAuthSettings.fromLiteLlm(Map.of("trust_unverified_email", true)).build().toBuilder()
                    .build().trustUnverifiedEmail()).isTrue();
        }

        @Test
        void refusesAnUnknownRoleNamingTheKey() {
            Map<String, Object> block = Map.of("roles_jwt_field", "roles",
                    "role_mappings", List.of(Map.of("role", "x", "internal_role", "superuser")));

            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(block))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("role_mappings.internal_role")
                    .hasMessageContaining("superuser")
                    .hasMessageContaining("proxy_admin");
        }

        @Test
        void refusesAValueOfTheWrongShape() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("enforce_rbac", "yes")))
                    .isInstanceOf(SettingsException.class)
                    .extracting(e -> ((SettingsException) e).key())
                    .isEqualTo("enforce_rbac");
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("admin_allowed_routes", Map.of())))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("admin_allowed_routes");
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("public_key_ttl", -1)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("public_key_ttl");
        }

        @Test
        void treatsANullValueAsUnset() {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("admin_jwt_scope", null);

            assertThat(JwtAuthSettings.fromLiteLlm(block).build().adminJwtScope()).isEqualTo("litellm_proxy_admin");
        }
    }

    @Nested
    class Validation {

        @Test
        void refusesScopeBasedAccessWithoutMappings() {
            assertThatThrownBy(() -> JwtAuthSettings.builder().enforceScopeBasedAccess(true).build())
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("enforce_scope_based_access");
        }

        @Test
        void refusesRoleMappingsWithoutTheirClaim() {
            assertThatThrownBy(() -> JwtAuthSettings.builder()
                    .roleMappings(List.of(new RoleMapping("a", ProxyRole.TEAM))).build())
                    .hasMessageContaining("roles_jwt_field");
        }

        @Test
        void refusesAnEmailDomainWithAnAtSign() {
            assertThatThrownBy(() -> JwtAuthSettings.builder().userAllowedEmailDomain("@example.com").build())
                    .hasMessageContaining("user_allowed_email_domain");
        }

        @Test
        void refusesAKeyUrlThatIsNotHttp() {
            assertThatThrownBy(() -> JwtAuthSettings.builder().publicKeyUrls(List.of("file:///etc/keys")).build())
                    .hasMessageContaining("JWT_PUBLIC_KEY_URL");
        }

        @Test
        void refusesALeewayOverFiveMinutes() {
            assertThatThrownBy(() -> JwtAuthSettings.builder().leeway(Duration.ofMinutes(6)).build())
                    .hasMessageContaining("leeway");
        }

        @Test
        void refusesAnEmptyListOfTokenTypes() {
            assertThatThrownBy(() -> JwtAuthSettings.builder().acceptedTokenTypes(List.of()).build())
                    .hasMessageContaining("accepted_token_types");
        }
    }

    @Nested
    class Environment {

        @Test
        void readsLiteLlmVariablesCommaSeparated() {
            JwtAuthSettings settings = JwtAuthSettings.builder().environment(Map.of(
                    "JWT_PUBLIC_KEY_URL", "https://a/certs, https://b/.well-known/openid-configuration",
                    "JWT_AUDIENCE", "llm-gateway,account",
                    "JWT_ISSUER", "https://kc/realms/claimgate")).build();

            assertThat(settings.publicKeyUrls())
                    .containsExactly("https://a/certs", "https://b/.well-known/openid-configuration");
            assertThat(settings.audiences()).containsExactly("llm-gateway", "account");
            assertThat(settings.issuer()).isEqualTo("https://kc/realms/claimgate");
        }

        @Test
        void leavesSettingsAloneWhenVariablesAreUnset() {
            JwtAuthSettings settings = JwtAuthSettings.builder().audiences(List.of("x")).environment(Map.of()).build();

            assertThat(settings.audiences()).containsExactly("x");
        }
    }

    @Test
    void toBuilderKeepsEverySetting() {
        JwtAuthSettings original = JwtAuthSettings.builder().teamIdJwtField("team").userIdUpsert(true)
                .issuer("https://kc").audiences(List.of("a")).build();

        JwtAuthSettings copy = original.toBuilder().build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(original);
    }
}
