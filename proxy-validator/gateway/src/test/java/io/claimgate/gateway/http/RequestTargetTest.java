package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", value = {
        "/v1/chat/completions, /v1/chat/completions, NONE",
        "/v1/chat/completions?stream=true, /v1/chat/completions, stream=true",
        "/v1/models?, /v1/models, NONE",
        "/a?b?c, /a, b?c",
        "http://gateway.example.com/v1/models?x=1, /v1/models, x=1",
        "HTTPS://gateway.example.com:8443/team/info, /team/info, NONE",
    })
    void splitsThePathAsSentFromItsQuery(String uri, String path, String query) {
        RequestTarget target = RequestTarget.of(uri);

        assertThat(target.rawPath()).isEqualTo(path);
        assertThat(target.rawQuery()).isEqualTo(query);
    }

    @Test
    void keepsThePathPercentEncodedAsSentForTheUpstream() {
        assertThat(RequestTarget.of("/openai/deployments/gpt%204o/chat/completions").rawPath())
                .isEqualTo("/openai/deployments/gpt%204o/chat/completions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "127.0.0.1:443", "chat/completions", "ftp://host/v1/models",
        "http://host", "http://host?x=/v1/models", "/v1/models#fragment"})
    void refusesATargetThatIsNoPath(String uri) {
        assertThatThrownBy(() -> RequestTarget.of(uri))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("invalid_request_target");
                });
    }
}
