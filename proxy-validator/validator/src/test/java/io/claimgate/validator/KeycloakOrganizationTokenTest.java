package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.claimgate.model.AuthResult;
import io.claimgate.model.Budget;
import io.claimgate.model.Organization;
import io.claimgate.model.Team;
import io.claimgate.validator.token.StaticKeySource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipeline with {@code org_id_jwt_field: organization} and tokens whose {@code organization} claim is shaped as
 * Keycloak 26's {@code oidc-organization-membership-mapper} writes it: the organization found, and its budget applied.
 */
class KeycloakOrganizationTokenTest {

    private static final TokenMint MINT = new TokenMint("kc-1");
    private static final String ACME_ID = "42f0c1de-0000-4000-8000-000000000001";

    private final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    private final InMemoryDirectory directory = new InMemoryDirectory()
            .team(new Team("research", "Research", null, List.of("gpt-4o-mini"), null, 0, false, Map.of()))
            .organization(new Organization(ACME_ID, "acme", List.of(), 0, new Budget("b1", 100.0, null)))
            .organization(new Organization("spent-id", "spent", List.of(), 100.0, new Budget("b2", 100.0, null)));
    private final ProxyAuthenticator auth = ProxyAuthenticator.builder(new LiteLlmBlock()
                    .set("team_id_jwt_field", "team_id")
                    .set("org_id_jwt_field", "organization")
                    .issuer(TokenMint.ISSUER)
                    .audiences(List.of(TokenMint.AUDIENCE))
                    .settings())
            .keySource(StaticKeySource.of(MINT.publicKey()))
            .directory(directory)
            .clock(clock)
            .build();

    private AuthResult chat(Object organizationClaim) {
        return auth.authenticate(AuthRequest.of(MINT.token(clock.instant(),
                Map.of("team_id", "research", "organization", organizationClaim)), "/chat/completions", "gpt-4o-mini"));
    }

    private AuthException refusal(Object organizationClaim) {
        Throwable thrown = catchThrowable(() -> chat(organizationClaim));
        assertThat(thrown).isInstanceOf(AuthException.class);
        return (AuthException) thrown;
    }

    @Test
    void findsTheOrganizationOfKeycloaksDefaultListByAlias() {
        assertThat(chat(List.of("acme")).orgId()).isEqualTo(ACME_ID);
    }

    @Test
    void findsTheOrganizationOfAnAttributeMapByAlias() {
        assertThat(chat(Map.of("acme", Map.of("region", List.of("eu")))).orgId()).isEqualTo(ACME_ID);
    }

    @Test
    void findsTheOrganizationOfAMapWithItsIdById() {
        assertThat(chat(Map.of("renamed-in-keycloak", Map.of("id", ACME_ID))).orgId()).isEqualTo(ACME_ID);
    }

    @Test
    void appliesTheBudgetOfTheOrganizationKeycloakNames() {
        AuthException e = refusal(List.of("spent"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo(ErrorType.BUDGET_EXCEEDED);
    }

    @Test
    void refusesAnAliasNotInTheDatabaseWith404() {
        assertThat(refusal(List.of("initech")).status()).isEqualTo(404);
    }

    @Test
    void refusesAMemberOfSeveralOrganizationsWhoseTokenNamesNoneWith403() {
        AuthException e = refusal(List.of("acme", "spent"));

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.reason()).isEqualTo("org_claim_ambiguous");
    }
}
