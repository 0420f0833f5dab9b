package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.validator.AuthException;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {

    private static HttpFields headers(String... namesAndValues) {
        HttpFields.Mutable fields = HttpFields.build();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    @ParameterizedTest
    @CsvSource({
        "Authorization, Bearer tok",
        "Authorization, bearer tok",
        "Authorization, BEARER   tok  ",
        "x-litellm-api-key, Bearer tok",
        "x-litellm-api-key, tok",
        "api-key, tok",
        "x-api-key, tok",
        "x-goog-api-key, tok",
        "Ocp-Apim-Subscription-Key, tok",
        "X-API-KEY, tok",
    })
    void readsTheCredentialFromEveryHeaderLiteLlmReadsAKeyFrom(String header, String value) {
        assertThat(BearerToken.from(headers(header, value))).isEqualTo("tok");
    }

    @Test
    void findsNoCredentialWithoutAnyOfTheseHeaders() {
        assertThat(BearerToken.from(headers("Cookie", "session=tok", "x-other-key", "tok"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Token tok", "Bearer", "Bearer   ", "tok"})
    void findsNoCredentialInAnAuthorizationHeaderWithoutABearerToken(String value) {
        assertThat(BearerToken.from(headers("Authorization", value))).isNull();
    }

    @Test
    void keepsABearerPrefixInHeadersWhoseClientsSendTheBareKey() {
        // Anthropic clients send x-api-key as is; LiteLLM does not strip a scheme from it either.
        assertThat(BearerToken.from(headers("x-api-key", "Bearer tok"))).isEqualTo("Bearer tok");
    }

    @Test
    void refusesTwoDifferentCredentialsInTwoHeaders() {
        assertThatThrownBy(() -> BearerToken.from(headers("Authorization", "Bearer tok-AAA", "x-api-key", "tok-BBB")))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("conflicting_credentials");
                    assertThat(e.type().wireValue()).isEqualTo("bad_request_error");
                    assertThat(e.getMessage()).doesNotContain("tok-AAA").doesNotContain("tok-BBB");
                });
    }

    @Test
    void refusesOneHeaderRepeatedWithDifferentCredentials() {
        assertThatThrownBy(() -> BearerToken.from(headers("x-litellm-api-key", "one", "x-litellm-api-key", "two")))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void acceptsTheSameCredentialInSeveralHeaders() {
        HttpFields both = headers("Authorization", "Bearer tok", "x-litellm-api-key", "Bearer tok", "api-key", "tok");

        assertThat(BearerToken.from(both)).isEqualTo("tok");
    }

    @Test
    void ignoresAnAuthorizationHeaderOfAnotherSchemeBesideACredential() {
        assertThat(BearerToken.from(headers("Authorization", "Basic abc", "x-api-key", "tok"))).isEqualTo("tok");
    }

    @Test
    void listsEveryCredentialHeaderSoThatNoneIsForwarded() {
        assertThat(BearerToken.HEADERS).containsExactlyInAnyOrder("authorization", "x-litellm-api-key", "api-key",
                "x-api-key", "x-goog-api-key", "ocp-apim-subscription-key");
    }
}
