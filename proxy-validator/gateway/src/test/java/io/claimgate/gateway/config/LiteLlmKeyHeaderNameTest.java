package io.claimgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.SettingsException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code general_settings.litellm_key_header_name}: one more header the caller's key is read from. */
class LiteLlmKeyHeaderNameTest {

    private final GatewayConfigReader reader = new GatewayConfigReader(Map.of("KEY_HEADER", "X-Team-Key"));

    @Test
    void readsTheHeaderNameOfLiteLlmsDocsInLowerCaseWithoutAWarning() {
        GatewayConfig config = reader.parse("""
                general_settings:
                  master_key: sk-1234
                  litellm_key_header_name: "X-Litellm-Key"
                """);

        assertThat(config.litellmKeyHeaderName()).isEqualTo("x-litellm-key");
        assertThat(config.warnings()).noneMatch(w -> w.contains("litellm_key_header_name"));
    }

    @Test
    void resolvesAnEnvironmentReference() {
        GatewayConfig config = reader.parse("""
                general_settings:
                  litellm_key_header_name: os.environ/KEY_HEADER
                """);

        assertThat(config.litellmKeyHeaderName()).isEqualTo("x-team-key");
    }

    @Test
    void readsNoHeaderNameWhenTheKeyIsAbsent() {
        assertThat(reader.parse("general_settings: {}").litellmKeyHeaderName()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'X Litellm Key'", "'x-key:'", "''", "Content-Length", "Host", "Cookie",
            "x-litellm-team-id", "x-litellm-model", "X-Auth-Request-User", "X-Forwarded-For", "Transfer-Encoding"})
    void refusesANameThatIsNoHeaderOrCarriesSomethingElse(String name) {
        assertThatThrownBy(() -> reader.parse("general_settings:\n  litellm_key_header_name: " + name + "\n"))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("general_settings.litellm_key_header_name"));
    }
}
