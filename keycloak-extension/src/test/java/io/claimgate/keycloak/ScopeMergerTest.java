package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeMergerTest {

    private static final String ADMIN_SCOPE = "litellm_proxy_admin";

    @Test
    void appendsAfterExistingScopesKeepingTheirOrder() {
        assertThat(ScopeMerger.merge("openid profile email", ADMIN_SCOPE, true, List.of("models:read")))
                .isEqualTo("openid profile email litellm_proxy_admin models:read");
    }

    @Test
    void addsNothingTwice() {
        assertThat(ScopeMerger.merge("openid email", ADMIN_SCOPE, false, List.of("email", "x", "x", "openid")))
                .isEqualTo("openid email x");
    }

    @ParameterizedTest(name = "admin={0}")
    @ValueSource(booleans = {true, false})
    void isIdempotentSoIntrospectionDoesNotAppendAgain(boolean admin) {
        String once = ScopeMerger.merge("openid profile litellm_proxy_admin", ADMIN_SCOPE, admin, List.of("a"));

        assertThat(ScopeMerger.merge(once, ADMIN_SCOPE, admin, List.of("a"))).isEqualTo(once);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null", "''", "'   '"})
    void startsFromNothingWhenThereIsNoScope(String existing) {
        assertThat(ScopeMerger.merge(existing, ADMIN_SCOPE, false, List.of("a"))).isEqualTo("a");
    }

    @Test
    void dropsBlankValues() {
        assertThat(ScopeMerger.merge("openid", ADMIN_SCOPE, false, List.of("", "c"))).isEqualTo("openid c");
    }

    @Test
    void normalizesRepeatedSpacesInTheExistingScope() {
        assertThat(ScopeMerger.merge("openid  email ", ADMIN_SCOPE, false, List.of())).isEqualTo("openid email");
    }

    @Nested
    class AdminScope {

        @Test
        void isAppendedForAnAdmin() {
            assertThat(ScopeMerger.merge("openid", ADMIN_SCOPE, true, List.of()))
                    .isEqualTo("openid litellm_proxy_admin");
        }

        @Test
        void isRemovedForANonAdminWhenKeycloakPutItThere() {
            // given a client scope named like the admin scope, which the client requested
            String keycloaks = "openid litellm_proxy_admin email";

            // when the mapper decides for a user without the admin role
            String scope = ScopeMerger.merge(keycloaks, ADMIN_SCOPE, false, List.of());

            // then
            assertThat(scope).isEqualTo("openid email");
        }

        @Test
        void keepsItsPlaceForAnAdminWhenKeycloakPutItThere() {
            assertThat(ScopeMerger.merge("openid litellm_proxy_admin email", ADMIN_SCOPE, true, List.of("m")))
                    .isEqualTo("openid litellm_proxy_admin email m");
        }

        @Test
        void isNeverTakenFromAnAttribute() {
            assertThat(ScopeMerger.merge("openid", ADMIN_SCOPE, false, List.of(ADMIN_SCOPE, "models:a")))
                    .isEqualTo("openid models:a");
        }

        @Test
        void namedInAnAttributeOfAnAdminAppearsOnceInTheAdminsPlace() {
            assertThat(ScopeMerger.merge("openid", ADMIN_SCOPE, true, List.of("models:a", ADMIN_SCOPE)))
                    .isEqualTo("openid litellm_proxy_admin models:a");
        }

        @Test
        void isTheConfiguredOne() {
            assertThat(ScopeMerger.merge("openid gateway_admin", "gateway_admin", false,
                    List.of("gateway_admin", ADMIN_SCOPE)))
                    .isEqualTo("openid litellm_proxy_admin");
        }

        static Stream<Arguments> everyCombination() {
            return Stream.of(true, false).flatMap(admin -> Stream.of(
                    "openid", "openid litellm_proxy_admin", "litellm_proxy_admin openid litellm_proxy_admin")
                    .flatMap(existing -> Stream.of(List.<String>of(), List.of(ADMIN_SCOPE),
                                    List.of("x litellm_proxy_admin", "m"))
                            .map(attributes -> Arguments.of(admin, existing, attributes))));
        }

        @ParameterizedTest(name = "admin={0}, existing={1}, attributes={2}")
        @MethodSource("everyCombination")
        void isInTheScopeIfAndOnlyIfTheUserIsAnAdmin(boolean admin, String existing, List<String> attributes) {
            List<String> scope = List.of(ScopeMerger.merge(existing, ADMIN_SCOPE, admin, attributes).split(" "));

            if (admin) {
                assertThat(scope).containsOnlyOnce(ADMIN_SCOPE);
            } else {
                assertThat(scope).doesNotContain(ADMIN_SCOPE);
            }
        }
    }

    @Nested
    class Withhold {

        @Test
        void removesTheAdminScopeForANonAdmin() {
            assertThat(ScopeMerger.withhold("openid litellm_proxy_admin email", ADMIN_SCOPE, false))
                    .isEqualTo("openid email");
        }

        @Test
        void keepsKeycloaksScopeForAnAdminAndAddsNothing() {
            assertThat(ScopeMerger.withhold("openid email", ADMIN_SCOPE, true)).isEqualTo("openid email");
            assertThat(ScopeMerger.withhold("openid litellm_proxy_admin", ADMIN_SCOPE, true))
                    .isEqualTo("openid litellm_proxy_admin");
        }
    }

    @Nested
    class ScopeTokens {

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"a litellm_proxy_admin", "a\tlitellm_proxy_admin", "a\nb", "say\"hi\"",
                "back\\slash", "modèle", "a\u00a0b", "\u0000"})
        void attributeValuesThatAreNotOneScopeTokenAreDroppedNotSplit(String value) {
            assertThat(ScopeMerger.merge("openid", ADMIN_SCOPE, false, List.of(value, "models:a")))
                    .isEqualTo("openid models:a");
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"models:gpt-4o", "https://api.example.com/read", "a=b&c", "!#$[]^~", "x"})
        void validScopeTokensAreKept(String value) {
            assertThat(ScopeMerger.isScopeToken(value)).isTrue();
            assertThat(ScopeMerger.merge("openid", ADMIN_SCOPE, false, List.of(value)))
                    .isEqualTo("openid " + value);
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"", " ", "a b", "\"", "\\", "\u007f", "é"})
        void recognizesWhatIsNotAScopeToken(String value) {
            assertThat(ScopeMerger.isScopeToken(value)).isFalse();
        }

        @Test
        void nullIsNotAScopeToken() {
            assertThat(ScopeMerger.isScopeToken(null)).isFalse();
        }
    }
}
