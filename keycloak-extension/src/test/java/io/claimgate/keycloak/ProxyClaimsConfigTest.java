package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.model.ClaimNames;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyClaimsConfigTest {

    private static Map<String, String> config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Nested
    class Defaults {

        private final ProxyClaimsConfig config = ProxyClaimsConfig.of(Map.of());

        @Test
        void emptyConfigIsValid() {
            assertThat(ProxyClaimsConfig.problems(Map.of())).isEmpty();
        }

        @Test
        void everyKeyHasTheDocumentedDefault() {
            assertThat(config.teamsGroupPath()).isEqualTo("/teams");
            assertThat(config.activeTeamAttribute()).isEqualTo("team_id");
            assertThat(config.teamsMax()).isEqualTo(100);
            assertThat(config.rolesClient()).isEmpty();
            assertThat(config.adminRole()).isEqualTo("proxy-admin");
            assertThat(config.adminScope()).isEqualTo(ClaimNames.DEFAULT_ADMIN_SCOPE);
            assertThat(config.scopesAttribute()).isEqualTo("llm_scopes");
            assertThat(config.orgAttribute()).isEqualTo("org_id");
            assertThat(config.orgSource()).isEqualTo(OrganizationSource.ATTRIBUTE);
            assertThat(config.orgValue()).isEqualTo(OrganizationValue.ALIAS);
        }

        @Test
        void claimNamesComeFromTheSharedContract() {
            assertThat(config.claimTeamId()).isEqualTo(ClaimNames.TEAM_ID);
            assertThat(config.claimTeamIds()).isEqualTo(ClaimNames.TEAM_IDS);
            assertThat(config.claimTeamIdsOverage()).isEqualTo(ClaimNames.TEAM_IDS_OVERAGE);
            assertThat(config.claimRoles()).isEqualTo(ClaimNames.ROLES);
            assertThat(config.claimOrgId()).isEqualTo(ClaimNames.ORG_ID);
        }

        @Test
        void blankValuesMeanTheDefaultBecauseTheAdminConsoleSendsEmptyStrings() {
            var blank = ProxyClaimsConfig.of(config("teams.group.path", "", "teams.max", " ", "roles.client", ""));

            assertThat(blank.teamsGroupPath()).isEqualTo("/teams");
            assertThat(blank.teamsMax()).isEqualTo(100);
            assertThat(blank.rolesClient()).isEmpty();
            assertThat(ProxyClaimsConfig.problems(config("teams.max", ""))).isEmpty();
        }
    }

    @Nested
    class Values {

        @Test
        void readsEveryKey() {
            var config = ProxyClaimsConfig.of(config("teams.group.path", "/org/teams/", "teams.active.attribute",
                    "active", "teams.max", "7", "roles.client", "gw", "admin.role", "boss", "admin.scope", "adm",
                    "scopes.attribute", "sc", "org.attribute", "org", "claim.team_id", "t", "claim.team_ids", "ts",
                    "claim.roles", "r", "claim.org_id", "o"));

            assertThat(config.teamsGroupPath()).isEqualTo("/org/teams");
            assertThat(config.activeTeamAttribute()).isEqualTo("active");
            assertThat(config.teamsMax()).isEqualTo(7);
            assertThat(config.rolesClient()).contains("gw");
            assertThat(config.adminRole()).isEqualTo("boss");
            assertThat(config.adminScope()).isEqualTo("adm");
            assertThat(config.scopesAttribute()).isEqualTo("sc");
            assertThat(config.orgAttribute()).isEqualTo("org");
            assertThat(config.claimTeamId()).isEqualTo("t");
            assertThat(config.claimTeamIds()).isEqualTo("ts");
            assertThat(config.claimTeamIdsOverage()).isEqualTo("ts_overage");
            assertThat(config.claimRoles()).isEqualTo("r");
            assertThat(config.claimOrgId()).isEqualTo("o");
        }

        @Test
        void rootGroupPathKeepsItsSlash() {
            assertThat(ProxyClaimsConfig.of(config("teams.group.path", "/")).teamsGroupPath()).isEqualTo("/");
        }
    }

    @Nested
    class Problems {

        @ParameterizedTest
        @ValueSource(strings = {"teams", "teams/research", "~/teams"})
        void refusesGroupPathNotStartingWithSlash(String path) {
            assertThat(ProxyClaimsConfig.problems(config("teams.group.path", path)))
                    .singleElement().asString().contains("teams.group.path");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "abc", "1.5", "99999999999"})
        void refusesCapThatIsNotAWholeNumberOfAtLeastOne(String max) {
            assertThat(ProxyClaimsConfig.problems(config("teams.max", max)))
                    .singleElement().asString().contains("teams.max");
        }

        @Test
        void acceptsCapOfOne() {
            assertThat(ProxyClaimsConfig.problems(config("teams.max", "1"))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"sub", "iss", "exp", "scope", "aud", "typ", "azp", "jti", "iat", "nbf", "nonce",
                "session_state", "sub.team"})
        void refusesReservedClaimNames(String name) {
            for (String key : new String[] {"claim.team_id", "claim.team_ids", "claim.roles", "claim.org_id"}) {
                assertThat(ProxyClaimsConfig.problems(config(key, name)))
                        .singleElement().asString().contains(key).contains("reserved");
            }
        }

        @Test
        void refusesTwoClaimsWithTheSameName() {
            assertThat(ProxyClaimsConfig.problems(config("claim.roles", "team_id")))
                    .singleElement().asString().contains("different claims");
        }

        @Test
        void refusesClaimNamedLikeTheOverageMarker() {
            assertThat(ProxyClaimsConfig.problems(config("claim.org_id", "team_ids_overage"))).hasSize(1);
        }

        @Test
        void refusesAdminScopeWithSpaces() {
            assertThat(ProxyClaimsConfig.problems(config("admin.scope", "a b")))
                    .singleElement().asString().contains("admin.scope");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"say\"hi\"", "back\\slash", "modèle", "tab\there"})
        void refusesAdminScopeThatIsNotAnOAuthScopeToken(String adminScope) {
            assertThat(ProxyClaimsConfig.problems(config("admin.scope", adminScope)))
                    .singleElement().asString().contains("admin.scope");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"organisation", "ORGANIZATION", "groups"})
        void refusesAnUnknownOrgSource(String source) {
            assertThat(ProxyClaimsConfig.problems(config("org.source", source)))
                    .singleElement().asString().contains("org.source");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"name", "uuid", "ALIAS"})
        void refusesAnUnknownOrgValue(String value) {
            assertThat(ProxyClaimsConfig.problems(config("org.value", value)))
                    .singleElement().asString().contains("org.value");
        }

        @Test
        void acceptsEveryOrgSourceAndValue() {
            assertThat(ProxyClaimsConfig.problems(config("org.source", "organization", "org.value", "id"))).isEmpty();
            assertThat(ProxyClaimsConfig.problems(config("org.source", "attribute", "org.value", "alias"))).isEmpty();
        }

        @Test
        void reportsEveryProblemAtOnce() {
            assertThat(ProxyClaimsConfig.problems(config("teams.group.path", "x", "teams.max", "0", "claim.roles",
                    "iss"))).hasSize(3);
        }

        @Test
        void messagesSurviveKeycloaksMessageFormatUnchanged() {
            var problems = ProxyClaimsConfig.problems(config("teams.group.path", "{0}'", "teams.max", "{x}",
                    "claim.roles", "sub", "claim.org_id", "sub", "admin.scope", "' '"));

            assertThat(problems).isNotEmpty().allSatisfy(message ->
                    assertThat(MessageFormat.format(message, (Object[]) null)).isEqualTo(message));
        }
    }
}
