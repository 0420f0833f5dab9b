package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.http.HttpError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePathTest {

    @ParameterizedTest
    @CsvSource({
        "/chat/completions, /chat/completions",
        "/v1/chat/completions?stream=true, /v1/chat/completions",
        "/team/new/, /team/new",
        "/team/info#frag, /team/info",
        "http://gateway.example.com/v1/models?x=1, /v1/models",
        "/openai/deployments/gpt%204o/chat/completions, /openai/deployments/gpt 4o/chat/completions",
        "/, /",
    })
    void keepsThePathOnly(String raw, String route) {
        assertThat(RoutePath.of(raw)).isEqualTo(route);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/chat/completions/../team/new",
        "/chat/completions/./x",
        "/chat/completions/%2e%2e/team/new",
        "/chat/completions/%2E%2E/team/new",
        "/chat%2Fcompletions",
        "/chat/completions%5C..%5Cteam",
        "/chat/completions/%252e%252e/team",
        "/chat/completions\\..\\team/new",
        "//team/new",
        "/team//new",
        "/team/new%00",
        "/team/%0anew",
        "team/new",
        "",
        "/bad%zzescape",
    })
    void refusesPathsAnUpstreamCouldReadDifferently(String raw) {
        assertThatThrownBy(() -> RoutePath.of(raw)).isInstanceOfSatisfying(HttpError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type().wireValue()).isEqualTo("bad_request_error");
        });
    }
}
