package io.claimgate.validator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.claimgate.validator.AuthException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which issuer a token goes to, from its unverified {@code iss}, before any key is looked at. */
class IssuerChoiceTest {

    private static final String REALM_A = "https://kc.example.com/realms/a";
    private static final String REALM_B = "https://kc.example.com/realms/b";

    private final IssuerChoice<String> listedOnly = new IssuerChoice<>(Map.of(REALM_A, "A", REALM_B, "B"), null,
            16 * 1024);
    private final IssuerChoice<String> withGlobal = new IssuerChoice<>(Map.of(REALM_A, "A", REALM_B, "B"), "global",
            16 * 1024);

    private static String token(String payloadJson) {
        // The signature is never looked at here: the chosen issuer's verifier checks it.
        return TestKeys.sign(TestKeys.RSA, "RS256", payloadJson);
    }

    @Test
    void picksTheEntryWhoseIssuerIsExactlyTheTokensIss() {
        assertThat(listedOnly.choose(token("{\"iss\":\"" + REALM_A + "\"}"))).isEqualTo("A");
        assertThat(listedOnly.choose(token("{\"iss\":\"" + REALM_B + "\",\"sub\":\"x\"}"))).isEqualTo("B");
    }

    @Test
    void refusesAnUnlistedIssuerWhenNoGlobalKeySourceIsSet() {
        AuthException e = catchThrowableOfType(AuthException.class,
                () -> listedOnly.choose(token("{\"iss\":\"https://evil.example.com\"}")));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_ISSUER);
        assertThat(e.getMessage()).startsWith("Validation fails: ").doesNotContain("evil");
    }

    @Test
    void treatsATrailingSlashAsAnotherIssuer() {
        AuthException e = catchThrowableOfType(AuthException.class,
                () -> listedOnly.choose(token("{\"iss\":\"" + REALM_A + "/\"}")));

        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_ISSUER);
        assertThat(withGlobal.choose(token("{\"iss\":\"" + REALM_A + "/\"}"))).isEqualTo("global");
    }

    @Test
    void sendsAnUnlistedOrMissingIssuerToTheGlobalKeySourceAsLiteLlmDoes() {
        assertThat(withGlobal.choose(token("{\"iss\":\"https://other.example.com\"}"))).isEqualTo("global");
        assertThat(withGlobal.choose(token("{\"sub\":\"x\"}"))).isEqualTo("global");
    }

    @Test
    void refusesATokenWithoutIssWhenEveryIssuerNeedsOne() {
        AuthException e = catchThrowableOfType(AuthException.class, () -> listedOnly.choose(token("{\"sub\":\"x\"}")));

        assertThat(e.reason()).isEqualTo(Rejection.UNKNOWN_ISSUER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"https://kc.example.com/realms/a\"]", "42", "true", "\"\"",
            "{\"iss\":\"https://kc.example.com/realms/a\"}"})
    void refusesAnIssOfAnotherShapeEvenWithAGlobalKeySource(String iss) {
        AuthException e = catchThrowableOfType(AuthException.class,
                () -> withGlobal.choose(token("{\"iss\":" + iss + "}")));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.reason()).isEqualTo(Rejection.INVALID_ISSUER);
    }

    @Test
    void refusesAVeryLongIss() {
        AuthException e = catchThrowableOfType(AuthException.class,
                () -> withGlobal.choose(token("{\"iss\":\"https://" + "a".repeat(2000) + "\"}")));

        assertThat(e.reason()).isEqualTo(Rejection.INVALID_ISSUER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-token", "a.b", "a.b.c.d", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
            "eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln"})
    void refusesWhatIsNoCompactTokenWithAJsonPayload(String token) {
        AuthException e = catchThrowableOfType(AuthException.class, () -> withGlobal.choose(token));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @Test
    void refusesAnOversizedTokenBeforeDecodingIt() {
        IssuerChoice<String> small = new IssuerChoice<>(Map.of(REALM_A, "A"), null, 600);

        AuthException e = catchThrowableOfType(AuthException.class,
                () -> small.choose(token("{\"iss\":\"" + REALM_A + "\",\"pad\":\"" + "x".repeat(600) + "\"}")));

        assertThat(e.reason()).isEqualTo(Rejection.TOKEN_TOO_LARGE);
    }

    @Test
    void refusesADeeplyNestedPayloadWithoutCrashing() {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        AuthException e = catchThrowableOfType(AuthException.class,
                () -> withGlobal.choose(token("{\"x\":" + deep + ",\"iss\":\"" + REALM_A + "\"}")));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }
}
