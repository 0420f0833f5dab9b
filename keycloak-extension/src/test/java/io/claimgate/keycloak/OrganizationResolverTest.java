package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrganizationResolverTest {

    private static final OrganizationMembership ALPHA = new OrganizationMembership("id-alpha", "alpha");
    private static final OrganizationMembership BETA = new OrganizationMembership("id-beta", "beta");

    private static Optional<OrganizationMembership> resolve(List<OrganizationMembership> memberships,
                                                            String signedInId, String... scopes) {
        return OrganizationResolver.organization(
                new OrganizationContext(memberships, Optional.ofNullable(signedInId), List.of(scopes)));
    }

    @Nested
    class WithoutAChoice {

        @Test
        void theOnlyOrganizationIsTheUsers() {
            assertThat(resolve(List.of(ALPHA), null, "openid", "profile")).contains(ALPHA);
        }

        @Test
        void severalOrganizationsGiveNoneRatherThanAGuess() {
            assertThat(resolve(List.of(ALPHA, BETA), null, "openid")).isEmpty();
        }

        @Test
        void noOrganizationGivesNone() {
            assertThat(resolve(List.of(), null, "openid")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"organization", "organization:*", "organization:"})
        void theOrganizationScopeWithoutAnAliasChoosesNothing(String scope) {
            assertThat(resolve(List.of(ALPHA, BETA), null, "openid", scope)).isEmpty();
            assertThat(resolve(List.of(BETA), null, "openid", scope)).contains(BETA);
        }
    }

    @Nested
    class SignedInThroughAnOrganization {

        @Test
        void thatOrganizationIsChosenAmongSeveral() {
            assertThat(resolve(List.of(ALPHA, BETA), "id-beta", "openid")).contains(BETA);
        }

        @Test
        void winsOverARequestedScope() {
            assertThat(resolve(List.of(ALPHA, BETA), "id-beta", "organization:alpha")).contains(BETA);
        }

        @Test
        void anOrganizationTheUserIsNoLongerInGivesNoneNotTheOnlyOther() {
            assertThat(resolve(List.of(ALPHA), "id-gone", "openid")).isEmpty();
        }
    }

    @Nested
    class RequestedWithTheOrganizationScope {

        @Test
        void theNamedOrganizationIsChosenAmongSeveral() {
            assertThat(resolve(List.of(ALPHA, BETA), null, "openid", "organization:beta")).contains(BETA);
        }

        @Test
        void anOrganizationTheUserIsNotInGivesNone() {
            assertThat(resolve(List.of(ALPHA), null, "organization:beta")).isEmpty();
        }

        @Test
        void twoNamedOrganizationsChooseNone() {
            assertThat(resolve(List.of(ALPHA, BETA), null, "organization:alpha", "organization:beta")).isEmpty();
        }

        @Test
        void theSameOrganizationNamedTwiceIsOneChoice() {
            assertThat(resolve(List.of(ALPHA, BETA), null, "organization:alpha", "organization:alpha"))
                    .contains(ALPHA);
        }

        @Test
        void aScopeMerelyStartingLikeTheOrganizationScopeIsNotOne() {
            assertThat(resolve(List.of(ALPHA, BETA), null, "organizations:alpha")).isEmpty();
        }
    }
}
