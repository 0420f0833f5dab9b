package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScopeMergerTest {

    @Test
    void appendsAfterExistingScopesKeepingTheirOrder() {
        assertThat(ScopeMerger.merge("openid profile email", List.of("litellm_proxy_admin", "models:read")))
                .isEqualTo("openid profile email litellm_proxy_admin models:read");
    }

    @Test
    void addsNothingTwice() {
        assertThat(ScopeMerger.merge("openid email", List.of("email", "x", "x", "openid")))
                .isEqualTo("openid email x");
    }

    @Test
    void isIdempotentSoIntrospectionDoesNotAppendAgain() {
        String once = ScopeMerger.merge("openid profile", List.of("litellm_proxy_admin", "a"));

        assertThat(ScopeMerger.merge(once, List.of("litellm_proxy_admin", "a"))).isEqualTo(once);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null", "''", "'   '"})
    void startsFromNothingWhenThereIsNoScope(String existing) {
        assertThat(ScopeMerger.merge(existing, List.of("a"))).isEqualTo("a");
    }

    @Test
    void splitsValuesHoldingSeveralScopesAndDropsBlanks() {
        assertThat(ScopeMerger.merge("openid", List.of(" a  b ", "", "c"))).isEqualTo("openid a b c");
    }

    @Test
    void normalizesRepeatedSpacesInTheExistingScope() {
        assertThat(ScopeMerger.merge("openid  email ", List.of())).isEqualTo("openid email");
    }
}
