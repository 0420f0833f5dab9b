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
            assertThat(settings.roles().adminJwtScope()).isEqualTo("litellm_proxy_admin");
            assertThat(settings.access().adminAllowedRoutes()).containsExactly("management_routes",
                    "spend_tracking_routes",
                    "global_spend_tracking_routes", "info_routes");
            assertThat(settings.access().teamAllowedRoutes()).containsExactly("openai_routes",
                    "info_routes", "mcp_routes");
            assertThat(settings.access().publicAllowedRoutes()).containsExactly("public_routes");
            assertThat(settings.keySource().publicKeyTtl()).isEqualTo(Duration.ofSeconds(600));
            assertThat(settings.token().leeway()).isZero();
            assertThat(settings.access().userIdUpsert()).isFalse();
            assertThat(settings.access().enforceRbac()).isFalse();
            assertThat(settings.claims().teamIdJwtField()).isNull();
            assertThat(settings.roles().userAllowedRoles()).isNull();
        }

        @Test
        void addClaimgatesSafeguards() {
            assertThat(settings.token().acceptedTokenTypes()).containsExactly("Bearer");
            assertThat(settings.token().maxTokenLength()).isEqualTo(16 * 1024);
            assertThat(settings.keySource().publicKeyStaleTtl()).isEqualTo(Duration.ofHours(1));
        }

        @Test
        void checkNeitherAudienceNorIssuerUntilSet() {
            assertThat(settings.token().audiences()).isEmpty();
            assertThat(settings.token().issuer()).isNull();
            assertThat(settings.keySource().publicKeyUrls()).isEmpty();
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
            block.put("scope_mappings", List.of(Map.of("scope", "litellm.api.consumer",
                    "models", List.of("anthropic-claude"))));
            block.put("enforce_scope_based_access", true);
            block.put("jwt_litellm_role_map", List.of(Map.of("jwt_role", "ADMIN*", "litellm_role", "proxy_admin")));

            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(block);

            assertThat(settings.roles().adminJwtScope()).isEqualTo("litellm-proxy-admin");
            assertThat(settings.claims().teamIdJwtField()).isEqualTo("client_id");
            assertThat(settings.roles().userAllowedRoles()).containsExactly("basic_user");
            assertThat(settings.access().userIdUpsert()).isTrue();
            assertThat(settings.keySource().publicKeyTtl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.roles().roleMappings())
                    .containsExactly(new RoleMapping("litellm.api.consumer", ProxyRole.TEAM));
            assertThat(settings.access().scopeMappings().get(0).models()).containsExactly("anthropic-claude");
            assertThat(settings.access().scopeMappings().get(0).routes()).isEmpty();
            assertThat(settings.roles().jwtLitellmRoleMap())
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
                    Map.of("oidc_userinfo_enabled", true, "team_id_jwt_field", "team"));

            assertThat(settings.ignoredKeys()).containsExactly("oidc_userinfo_enabled");
            assertThat(JwtAuthSettings.keysNotImplemented()).contains("oidc_userinfo_enabled")
                    .doesNotContain("issuers");
        }

        @ParameterizedTest
        @ValueSource(strings = {"virtual_key_claim_field", "routing_overrides",
                "virtual_key_mapping_cache_ttl", "unregistered_jwt_client_behavior", "auto_register_map_existing_key",
                "upsert_sso_user_to_team", "agent_id_jwt_field"})
        void refusesALiteLlmKeyThatWouldNarrowAccessNamingIt(String key) {
            Object value = switch (key) {
                case "routing_overrides" -> List.of(Map.of("iss", "https://idp.example.com"));
                case "auto_register_map_existing_key", "upsert_sso_user_to_team" -> true;
                case "virtual_key_mapping_cache_ttl" -> 60;
                case "unregistered_jwt_client_behavior" -> "auto_register";
                default -> "virtual_key";
            };

            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of(key, value)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("litellm_jwtauth." + key + ": is not supported by Claimgate")
                    .satisfies(e -> assertThat(((SettingsException) e).key()).isEqualTo("litellm_jwtauth." + key));
        }

        @Test
        void acceptsUnregisteredJwtClientBehaviorAtLiteLlmsDefault() {
            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(
                    Map.of("unregistered_jwt_client_behavior", "fallback_team_mapping"));

            assertThat(settings.ignoredKeys()).isEmpty();
        }

        @Test
        void acceptsANarrowingKeyThatAsksForNothing() {
            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of("issuers", List.of(),
                    "routing_overrides", List.of()));

            assertThat(settings.ignoredKeys()).isEmpty();
        }

        @Test
        void actsOnTheTeamFallbacksInsteadOfIgnoringOrRefusingThem() {
            JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of("team_claim_fallback", true,
                    "fallback_to_db_teams", "true"));

            assertThat(settings.ignoredKeys()).isEmpty();
            assertThat(settings.claims().teamClaimFallback()).isTrue();
            assertThat(settings.claims().fallbackToDbTeams()).isTrue();
            assertThat(JwtAuthSettings.keysNotImplemented()).doesNotContain("team_claim_fallback",
                    "fallback_to_db_teams");
        }

        @Test
        void leavesTheTeamFallbacksOffByDefault() {
            assertThat(JwtAuthSettings.defaults().claims().teamClaimFallback()).isFalse();
            assertThat(JwtAuthSettings.defaults().claims().fallbackToDbTeams()).isFalse();
        }

        @Test
        void readsTrustUnverifiedEmailOffByDefault() {
            assertThat(JwtAuthSettings.defaults().claims().trustUnverifiedEmail()).isFalse();
            assertThat(JwtAuthSettings.fromLiteLlm(Map.of("trust_unverified_email", true))
                    .claims().trustUnverifiedEmail()).isTrue();
            assertThat(JwtAuthSettings.fromLiteLlm(Map.of("trust_unverified_email", true)).environment(Map.of())
                    .claims().trustUnverifiedEmail()).isTrue();
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
                    .isEqualTo("litellm_jwtauth.enforce_rbac");
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

            assertThat(JwtAuthSettings.fromLiteLlm(block).roles().adminJwtScope()).isEqualTo("litellm_proxy_admin");
        }
    }

    @Nested
    class Validation {

        @Test
        void refusesScopeBasedAccessWithoutMappings() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("enforce_scope_based_access", true)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("enforce_scope_based_access");
        }

        @Test
        void refusesRoleMappingsWithoutTheirClaim() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(
                    Map.of("role_mappings", List.of(Map.of("role", "a", "internal_role", "team")))))
                    .hasMessageContaining("roles_jwt_field");
        }

        @Test
        void refusesAnEmailDomainWithAnAtSign() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("user_allowed_email_domain", "@example.com")))
                    .hasMessageContaining("user_allowed_email_domain");
        }

        @Test
        void refusesAKeyUrlThatIsNotHttp() {
            assertThatThrownBy(() -> JwtAuthSettings.defaults()
                    .environment(Map.of("JWT_PUBLIC_KEY_URL", "file:///etc/keys")))
                    .hasMessageContaining("JWT_PUBLIC_KEY_URL");
        }

        @Test
        void refusesALeewayOverFiveMinutes() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("leeway", 360)))
                    .hasMessageContaining("leeway");
        }

        @Test
        void refusesAnEmptyListOfTokenTypes() {
            assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("accepted_token_types", List.of())))
                    .hasMessageContaining("accepted_token_types");
        }
    }

    @Nested
    class Environment {

        @Test
        void readsLiteLlmVariablesCommaSeparated() {
            JwtAuthSettings settings = JwtAuthSettings.defaults().environment(Map.of(
                    "JWT_PUBLIC_KEY_URL", "https://a/certs, https://b/.well-known/openid-configuration",
                    "JWT_AUDIENCE", "llm-gateway,account",
                    "JWT_ISSUER", "https://kc/realms/claimgate"));

            assertThat(settings.keySource().publicKeyUrls())
                    .containsExactly("https://a/certs", "https://b/.well-known/openid-configuration");
            assertThat(settings.token().audiences()).containsExactly("llm-gateway", "account");
            assertThat(settings.token().issuer()).isEqualTo("https://kc/realms/claimgate");
        }

        @Test
        void leavesSettingsAloneWhenVariablesAreUnset() {
            JwtAuthSettings settings = JwtAuthSettings.defaults().environment(Map.of("JWT_AUDIENCE", "x"))
                    .environment(Map.of());

            assertThat(settings.token().audiences()).containsExactly("x");
        }
    }

    @Test
    void environmentKeepsEverySettingItDoesNotSet() {
        JwtAuthSettings original = JwtAuthSettings.fromLiteLlm(Map.of("team_id_jwt_field", "team",
                "user_id_upsert", true)).environment(Map.of("JWT_ISSUER", "https://kc", "JWT_AUDIENCE", "a"));

        JwtAuthSettings copy = original.environment(Map.of());

        assertThat(copy).isEqualTo(original);
        assertThat(copy.claims().teamIdJwtField()).isEqualTo("team");
        assertThat(copy.token().issuer()).isEqualTo("https://kc");
    }

    @Test
    void listsEveryKeyAStageReadsAndEveryKeyNotImplemented() {
        assertThat(JwtAuthSettings.allowedKeys()).containsExactly("accepted_token_types", "admin_allowed_routes",
                "admin_jwt_scope", "agent_id_jwt_field", "auto_register_map_existing_key", "custom_validate",
                "end_user_id_jwt_field", "enforce_rbac", "enforce_scope_based_access", "enforce_team_based_model_access",
                "fallback_to_db_teams", "issuers",
                "jwt_litellm_role_map", "leeway", "max_token_length", "object_id_jwt_field", "oidc_userinfo_cache_ttl",
                "oidc_userinfo_enabled", "oidc_userinfo_endpoint", "org_alias_jwt_field", "org_id_jwt_field",
                "public_allowed_routes", "public_key_stale_ttl", "public_key_ttl", "role_mappings", "roles_jwt_field",
                "routing_overrides", "scope_mappings", "sync_user_role_and_teams", "team_alias_jwt_field",
                "team_allowed_routes", "team_claim_fallback", "team_id_default", "team_id_jwt_field", "team_id_upsert",
                "team_ids_jwt_field", "trust_unverified_email", "unregistered_jwt_client_behavior",
                "upsert_sso_user_to_team", "user_allowed_email_domain", "user_allowed_roles",
                "user_email_jwt_field", "user_id_jwt_field", "user_id_upsert", "user_roles_jwt_field",
                "virtual_key_claim_field", "virtual_key_mapping_cache_ttl");
    }

    @Test
    void placesEachStagesErrorUnderTheBlockItWasReadFrom() {
        assertThatThrownBy(() -> JwtAuthSettings.fromLiteLlm(Map.of("leeway", 360)))
                .isInstanceOfSatisfying(SettingsException.class, e -> {
                    assertThat(e.key()).isEqualTo("litellm_jwtauth.leeway");
                    assertThat(e.problem()).isEqualTo("must be between 0 and 300 seconds");
                });
    }

    @Test
    void refusesAStageThatCannotWorkWhenBuiltDirectly() {
        assertThatThrownBy(() -> new KeySourceSettings(List.of(), Duration.ZERO, Duration.ZERO))
                .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("public_key_ttl"));
    }
}
