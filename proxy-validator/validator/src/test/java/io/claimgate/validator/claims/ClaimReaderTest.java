package io.claimgate.validator.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.validator.LiteLlmBlock;
import io.claimgate.validator.AuthException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClaimReaderTest {

    private static TokenClaims read(UnaryOperator<LiteLlmBlock> settings, Map<String, Object> claims) {
        return new ClaimReader(settings.apply(new LiteLlmBlock()).settings().claims()).read(claims);
    }

    @Nested
    class TeamId {

        @Test
        void readsTheConfiguredClaim() {
            assertThat(read(b -> b.set("team_id_jwt_field", "tenant.team_id"),
                    Map.of("tenant", Map.of("team_id", "team456"))).teamId()).isEqualTo("team456");
        }

        // Mirrors LiteLLM get_team_id: identity providers send groups as lists; the first element is the team.
        @Test
        void takesTheFirstElementOfAList() {
            TokenClaims claims = read(b -> b.set("team_id_jwt_field", "groups"), Map.of("groups", List.of("a", "b")));

            assertThat(claims.teamId()).isEqualTo("a");
            assertThat(claims.teamIdClaim()).isEqualTo("a");
        }

        @Test
        void readsNoTeamFromAnEmptyListEvenWithADefault() {
            assertThat(read(b -> b.set("team_id_jwt_field", "groups").set("team_id_default", "fallback"),
                    Map.of("groups", List.of())).teamId()).isNull();
        }

        // Mirrors LiteLLM test_nested_jwt_field_missing_paths (team_id_default fallback).
        @Test
        void fallsBackToTheDefaultWhenTheClaimIsMissing() {
            TokenClaims claims = read(b -> b.set("team_id_jwt_field", "tenant.team_id")
                    .set("team_id_default", "fallback_team"),
                    Map.of("tenant", Map.of()));

            assertThat(claims.teamId()).isEqualTo("fallback_team");
            assertThat(claims.teamIdClaim()).isNull();
        }

        @Test
        void usesTheDefaultWhenNoTeamFieldIsConfigured() {
            assertThat(read(b -> b.set("team_id_default", "default-team"),
                    Map.of()).teamId()).isEqualTo("default-team");
        }

        @Test
        void readsNothingWithoutFieldOrDefault() {
            assertThat(read(b -> b, Map.of("team_id", "t")).teamId()).isNull();
        }

        @Test
        void keepsAnExplicitNullAsNoTeamRatherThanTheDefault() {
            Map<String, Object> claims = new HashMap<>();
            claims.put("team_id", null);

            assertThat(read(b -> b.set("team_id_jwt_field", "team_id")
                    .set("team_id_default", "fallback"), claims).teamId()).isNull();
        }

        @Test
        void readsANumericTeamIdAsText() {
            assertThat(read(b -> b.set("team_id_jwt_field", "team_id"),
                    Map.of("team_id", 42)).teamId()).isEqualTo("42");
        }

        @Test
        void treatsABlankTeamIdAsAbsent() {
            assertThat(read(b -> b.set("team_id_jwt_field", "team_id"), Map.of("team_id", " ")).teamId()).isNull();
        }
    }

    @Nested
    class TeamIds {

        // Mirrors LiteLLM test_nested_jwt_field_access (team_ids_jwt_field).
        @Test
        void readsAList() {
            assertThat(read(b -> b.set("team_ids_jwt_field", "groups"),
                    Map.of("groups", List.of("team1", "team2"))).teamIds())
                    .containsExactly("team1", "team2");
        }

        @Test
        void readsAStringAsNoTeamsAsLiteLlmDoes() {
            assertThat(read(b -> b.set("team_ids_jwt_field", "groups"), Map.of("groups", "team1")).teamIds()).isEmpty();
        }

        // Mirrors LiteLLM test_nested_jwt_field_missing_paths (missing groups -> []).
        @Test
        void readsAMissingClaimAsNoTeams() {
            assertThat(read(b -> b.set("team_ids_jwt_field", "groups"), Map.of()).teamIds()).isEmpty();
        }

        @Test
        void readsNoTeamsWhenUnconfigured() {
            assertThat(read(b -> b, Map.of("team_ids", List.of("a"))).teamIds()).isEmpty();
        }
    }

    @Nested
    class User {

        @Test
        void readsTheUserIdAndEmail() {
            TokenClaims claims = read(b -> b.set("user_id_jwt_field", "user.sub")
                    .set("user_email_jwt_field", "user.email"),
                    Map.of("user", Map.of("sub", "u123", "email", "user@example.com")));

            assertThat(claims.userId()).isEqualTo("u123");
            assertThat(claims.userIdClaim()).isEqualTo("u123");
            assertThat(claims.email()).isEqualTo("user@example.com");
        }

        // Mirrors LiteLLM get_user_info: get_user_id(default_value=user_email).
        @Test
        void fallsBackToTheEmailWhenNoUserIdFieldIsConfigured() {
            TokenClaims claims = read(b -> b.set("user_email_jwt_field", "email"),
                    Map.of("email", "a@example.com", "email_verified", true));

            assertThat(claims.userId()).isEqualTo("a@example.com");
            assertThat(claims.userIdClaim()).isNull();
        }

        @Test
        void fallsBackToTheEmailWhenTheUserIdClaimIsMissing() {
            assertThat(read(b -> b.set("user_id_jwt_field", "sub").set("user_email_jwt_field", "email"),
                    Map.of("email", "a@example.com", "email_verified", true)).userId()).isEqualTo("a@example.com");
        }

        @Test
        void neverFallsBackToAnUnverifiedEmail() {
            TokenClaims claims = read(b -> b.set("user_email_jwt_field", "email"),
                    Map.of("email", "a@example.com", "email_verified", false));

            assertThat(claims.userId()).isNull();
            assertThat(claims.email()).isEqualTo("a@example.com");
            assertThat(claims.emailTrusted()).isFalse();
            assertThat(claims.trustedEmail()).isNull();
        }

        @Test
        void fallsBackToAnUnverifiedEmailWhenTrustUnverifiedEmailIsSet() {
            TokenClaims claims = read(b -> b.set("user_email_jwt_field", "email").set("trust_unverified_email", true),
                    Map.of("email", "a@example.com"));

            assertThat(claims.userId()).isEqualTo("a@example.com");
            assertThat(claims.trustedEmail()).isEqualTo("a@example.com");
        }

        @Test
        void readsNoEmailWithoutAnEmailField() {
            TokenClaims claims = read(b -> b, Map.of("email", "a@example.com", "sub", "u1"));

            assertThat(claims.email()).isNull();
            assertThat(claims.userId()).isNull();
        }

        @Test
        void readsUserRolesAsAListOrASingleString() {
            assertThat(read(b -> b.set("user_roles_jwt_field", "resource_access.my-client.roles"),
                    Map.of("resource_access", Map.of("my-client", Map.of("roles", List.of("admin", "user")))))
                    .userRoles()).containsExactly("admin", "user");
            assertThat(read(b -> b.set("user_roles_jwt_field", "role"), Map.of("role", "admin")).userRoles())
                    .containsExactly("admin");
        }
    }

    @Nested
    class Roles {

        @Test
        void readsAListOfRoles() {
            assertThat(read(b -> b.set("roles_jwt_field", "realm_access.roles"),
                    Map.of("realm_access", Map.of("roles", List.of("a", "b")))).roles()).containsExactly("a", "b");
        }

        @Test
        void readsAStringAsOneRoleNotAsCharacters() {
            assertThat(read(b -> b.set("roles_jwt_field", "roles"),
                    Map.of("roles", "admin")).roles()).containsExactly("admin");
        }

        @Test
        void skipsNonTextEntries() {
            assertThat(read(b -> b.set("roles_jwt_field", "roles"), Map.of("roles", List.of("a",
                    Map.of("x", 1), 7))).roles())
                    .containsExactly("a", "7");
        }
    }

    @Nested
    class Scopes {

        @Test
        void splitsTheScopeStringOnWhitespace() {
            assertThat(read(b -> b, Map.of("scope", " openid  email\tlitellm_proxy_admin ")).scopes())
                    .containsExactly("openid", "email", "litellm_proxy_admin");
        }

        @Test
        void readsAScopeList() {
            assertThat(read(b -> b, Map.of("scope", List.of("a", "b"))).scopes()).containsExactly("a", "b");
        }

        @Test
        void addsTheEntraScpClaimThatLiteLlmIgnores() {
            TokenClaims claims = read(b -> b, Map.of("scope", "openid", "scp", "litellm_proxy_admin User.Read"));

            assertThat(claims.scopes()).containsExactly("openid", "litellm_proxy_admin", "User.Read");
            assertThat(claims.hasScope("litellm_proxy_admin")).isTrue();
        }

        @Test
        void readsNoScopesWhenBothClaimsAreMissing() {
            assertThat(read(b -> b, Map.of()).scopes()).isEmpty();
        }

        @Test
        void refusesAScopeClaimThatIsNeitherStringNorList() {
            assertThatThrownBy(() -> read(b -> b, Map.of("scope", 5)))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("Unmapped scope type").contains("Supported types - list, str.");
                    });
        }
    }

    @Nested
    class OtherIds {

        // Mirrors LiteLLM test_nested_jwt_field_access (org, end user, object id).
        @Test
        void readsOrgEndUserObjectIdAndAliases() {
            TokenClaims claims = read(b -> b.set("org_id_jwt_field", "organization.id")
                    .set("end_user_id_jwt_field", "customer.end_user_id")
                            .set("object_id_jwt_field", "profile.object_id").set("team_alias_jwt_field", "team_name")
                            .set("org_alias_jwt_field", "org_name").set("roles_jwt_field", "roles")
                            .set("role_mappings", List.of(Map.of("role", "admin", "internal_role", "internal_user"))),
                    Map.of("organization", Map.of("id", "org456"), "customer", Map.of("end_user_id", "customer123"),
                            "profile", Map.of("object_id", "obj789"), "team_name", "Eng", "org_name", "Acme"));

            assertThat(claims.orgId()).isEqualTo("org456");
            assertThat(claims.endUserId()).isEqualTo("customer123");
            assertThat(claims.objectId()).isEqualTo("obj789");
            assertThat(claims.teamAlias()).isEqualTo("Eng");
            assertThat(claims.orgAlias()).isEqualTo("Acme");
        }

        // Mirrors LiteLLM test_end_user_jwt_auth (end_user_id_jwt_field=sub).
        @Test
        void readsTheEndUserFromSub() {
            assertThat(read(b -> b.set("end_user_id_jwt_field", "sub"),
                    Map.of("sub", "81b3e52a-67a6-4efb-9645-70527e101479",
                    "scope", List.of("skill_up"))).endUserId()).isEqualTo("81b3e52a-67a6-4efb-9645-70527e101479");
        }

        // Mirrors LiteLLM test_team_token_output (team_id_jwt_field=client_id).
        @Test
        void readsTheTeamFromClientId() {
            assertThat(read(b -> b.set("team_id_jwt_field", "client_id"), Map.of("sub", "user123",
                    "scope", "litellm_team",
                    "client_id", "team123")).teamId()).isEqualTo("team123");
        }

        @Test
        void readsNothingForUnconfiguredFields() {
            TokenClaims claims = read(b -> b, Map.of("org_id", "o", "end_user_id", "e"));

            assertThat(claims.orgId()).isNull();
            assertThat(claims.endUserId()).isNull();
            assertThat(claims.objectId()).isNull();
        }

        @Test
        void keepsTheRawClaimsForACustomValidator() {
            Map<String, Object> raw = Map.of("sub", "u1");

            assertThat(read(b -> b, raw).claims()).isSameAs(raw);
        }

        @Test
        void leavesUnrelatedClaimsOutOfToString() {
            assertThat(read(b -> b.set("user_email_jwt_field", "email"), Map.of("email", "a@example.com",
                    "secret", "s"))
                    .toString()).doesNotContain("secret");
        }
    }
}
