package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.SettingsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void defaultsFailFastWithASmallPoolAndMigrate() {
        DatabaseSettings settings = DatabaseSettings.of("postgresql://u:p@localhost/db");

        assertThat(settings.maximumPoolSize()).isEqualTo(10);
        assertThat(settings.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.validationTimeout()).isLessThan(settings.connectionTimeout());
        assertThat(settings.socketTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.migrate()).isTrue();
    }

    @Test
    void refusesAValidationTimeoutNotShorterThanTheConnectionTimeout() {
        DatabaseSettings settings = DatabaseSettings.of("postgresql://u:p@localhost/db");

        assertThatThrownBy(() -> settings.withValidationTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("database.validation_timeout");
    }

    @Test
    void refusesAnEmptyPool() {
        DatabaseSettings settings = DatabaseSettings.of("postgresql://u:p@localhost/db");

        assertThatThrownBy(() -> settings.withMaximumPoolSize(0))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("database.maximum_pool_size");
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(DatabaseSettings.of("postgresql://u:hunter2@localhost/db").toString()).doesNotContain("hunter2");
    }
}
