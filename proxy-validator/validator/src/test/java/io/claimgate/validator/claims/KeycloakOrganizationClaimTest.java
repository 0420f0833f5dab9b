package io.claimgate.validator.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.validator.AuthException;
import io.claimgate.validator.LiteLlmBlock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code org_id_jwt_field: organization} over Keycloak's {@code oidc-organization-membership-mapper} claim, in each
 * shape Keycloak 26 writes it.
 */
class KeycloakOrganizationClaimTest {

    private static final UnaryOperator<LiteLlmBlock> ORG_CLAIM = b -> b.set("org_id_jwt_field", "organization");

    private static TokenClaims read(UnaryOperator<LiteLlmBlock> settings, Map<String, Object> claims) {
        return new ClaimReader(settings.apply(new LiteLlmBlock()).settings().claims()).read(claims);
    }

    private static TokenClaims read(Map<String, Object> claims) {
        return read(ORG_CLAIM, claims);
    }

    @Nested
    class OneOrganization {

        @Test
        void readsTheAliasOfAListOfOneAsTheOrganizationAlias() {
            // given Keycloak's default shape
            TokenClaims claims = read(Map.of("organization", List.of("acme")));

            // then the organization is looked up by alias, as org_alias_jwt_field would
            assertThat(claims.orgId()).isNull();
            assertThat(claims.orgAlias()).isEqualTo("acme");
        }

        @Test
        void readsTheAliasOfAMapOfAttributes() {
            // given addOrganizationAttributes
            TokenClaims claims = read(Map.of("organization", Map.of("acme", Map.of("region", List.of("eu", "us")))));

            assertThat(claims.orgId()).isNull();
            assertThat(claims.orgAlias()).isEqualTo("acme");
        }

        @Test
        void readsTheAliasOfAMapEntryWithoutAttributes() {
            assertThat(read(Map.of("organization", Map.of("acme", Map.of()))).orgAlias()).isEqualTo("acme");
        }

        @Test
        void readsTheIdWhenTheMapCarriesIt() {
            // given addOrganizationId
            TokenClaims claims = read(Map.of("organization",
                    Map.of("acme", Map.of("id", "42f0c1de-0000-4000-8000-000000000001"))));

            // then the id decides, as an id claim does
            assertThat(claims.orgId()).isEqualTo("42f0c1de-0000-4000-8000-000000000001");
        }

        @Test
        void readsASingleStringAsAnIdAsEveryOrgIdClaimIsRead() {
            // given the mapper with "multivalued" off
            assertThat(read(Map.of("organization", "acme")).orgId()).isEqualTo("acme");
        }

        @Test
        void keepsAnAliasFieldThatAgreesWithTheClaim() {
            TokenClaims claims = read(b -> ORG_CLAIM.apply(b).set("org_alias_jwt_field", "org_name"),
                    Map.of("organization", List.of("acme"), "org_name", "acme"));

            assertThat(claims.orgAlias()).isEqualTo("acme");
        }

        @Test
        void refusesAnAliasFieldThatNamesAnotherOrganization() {
            assertThatThrownBy(() -> read(b -> ORG_CLAIM.apply(b).set("org_alias_jwt_field", "org_name"),
                    Map.of("organization", List.of("acme"), "org_name", "initech")))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("org_claim_ambiguous");
                    });
        }
    }

    @Nested
    class SeveralOrNone {

        @Test
        void refusesAListOfSeveralOrganizationsWith403() {
            // given a member of two organizations whose client asked for no particular one
            assertThatThrownBy(() -> read(Map.of("organization", List.of("acme", "initech"))))
                    .isInstanceOfSatisfying(AuthException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo("org_claim_ambiguous");
                        assertThat(e.getMessage()).isEqualTo("The token's organization claim names 2 organizations "
                                + "[acme, initech], so which one this request is for is unknown. Request a token for "
                                + "one organization (scope organization:<alias>).");
                    });
        }

        @Test
        void refusesAMapOfSeveralOrganizationsEvenWithIds() {
            Map<String, Object> byAlias = new LinkedHashMap<>();
            byAlias.put("acme", Map.of("id", "1"));
            byAlias.put("initech", Map.of("id", "2"));

            assertThatThrownBy(() -> read(Map.of("organization", byAlias)))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(403));
        }

        @Test
        void readsNoOrganizationFromAnEmptyList() {
            TokenClaims claims = read(Map.of("organization", List.of()));

            assertThat(claims.orgId()).isNull();
            assertThat(claims.orgAlias()).isNull();
        }

        @Test
        void readsNoOrganizationFromAnObjectThatIsNotKeycloaksClaim() {
            // given an object whose values are not attribute maps: no shape of Keycloak's, so no organization
            TokenClaims claims = read(Map.of("organization", Map.of("id", "org456")));

            assertThat(claims.orgId()).isNull();
            assertThat(claims.orgAlias()).isNull();
        }

        @Test
        void leavesAnOrgAliasFieldAloneWhenTheClaimIsAbsent() {
            TokenClaims claims = read(b -> ORG_CLAIM.apply(b).set("org_alias_jwt_field", "org_name"),
                    Map.of("org_name", "acme"));

            assertThat(claims.orgAlias()).isEqualTo("acme");
        }
    }
}
