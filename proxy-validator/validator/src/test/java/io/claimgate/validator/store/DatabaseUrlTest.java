package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.SettingsException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @Nested
    class LiteLlmDatabaseUrl {

        @ParameterizedTest
        @ValueSource(strings = {"postgresql", "postgres", "POSTGRESQL"})
        void readsUserPasswordHostPortAndDatabase(String scheme) {
            DatabaseUrl url = DatabaseUrl.parse(scheme + "://llm:secret@db.example.com:6543/litellm");

            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/litellm");
            assertThat(url.user()).isEqualTo("llm");
            assertThat(url.password()).isEqualTo("secret");
        }

        @Test
        void percentDecodesUserAndPasswordButKeepsPlusSigns() {
            DatabaseUrl url = DatabaseUrl.parse("postgresql://us%40er:p%40ss%3Aw%2Fo+rd%25@localhost/db");

            assertThat(url.user()).isEqualTo("us@er");
            assertThat(url.password()).isEqualTo("p@ss:w/o+rd%");
        }

        @Test
        void takesTheLastAtSignAsTheEndOfAnUnencodedPassword() {
            DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@ss@localhost:5432/db");

            assertThat(url.password()).isEqualTo("p@ss");
            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/db");
        }

        @Test
        void decodesMultiByteCharactersInThePassword() {
            assertThat(DatabaseUrl.parse("postgresql://u:gr%C3%BCn@localhost/db").password()).isEqualTo("grün");
        }

        @Test
        void acceptsAUrlWithoutPasswordPortOrUser() {
            assertThat(DatabaseUrl.parse("postgresql://llm@localhost/db"))
                    .isEqualTo(new DatabaseUrl("jdbc:postgresql://localhost/db", "llm", null));
            assertThat(DatabaseUrl.parse("postgresql://localhost/db"))
                    .isEqualTo(new DatabaseUrl("jdbc:postgresql://localhost/db", null, null));
        }

        @Test
        void keepsAnIpv6Host() {
            assertThat(DatabaseUrl.parse("postgresql://u:p@[::1]:5432/db").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://[::1]:5432/db");
        }

        @Test
        void translatesPrismasSchemaToTheDriversCurrentSchema() {
            assertThat(DatabaseUrl.parse("postgresql://u:p@h:5432/db?schema=litellm").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://h:5432/db?currentSchema=litellm");
        }

        @Test
        void turnsOffServerSidePreparedStatementsBehindPgBouncer() {
            assertThat(DatabaseUrl.parse("postgresql://u:p@h/db?pgbouncer=true").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://h/db?prepareThreshold=0");
        }

        @Test
        void dropsPrismaPoolParametersAndPassesTheRestToTheDriver() {
            DatabaseUrl url = DatabaseUrl.parse(
                    "postgresql://u:p@h/db?connection_limit=5&sslmode=verify-full&pool_timeout=10&sslrootcert=/ca%20x.pem");

            assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?sslmode=verify-full&sslrootcert=%2Fca%20x.pem");
        }

        @Test
        void acceptsAQueryWithoutADatabase() {
            assertThat(DatabaseUrl.parse("postgresql://u:p@h:5432?sslmode=require").jdbcUrl())
                    .isEqualTo("jdbc:postgresql://h:5432/?sslmode=require");
        }
    }

    @Nested
    class JdbcUrl {

        @Test
        void passesAJdbcUrlThroughUnchanged() {
            String jdbc = "jdbc:postgresql://localhost:5432/db?user=a&password=b";

            assertThat(DatabaseUrl.parse(jdbc)).isEqualTo(new DatabaseUrl(jdbc, null, null));
        }

        @Test
        void masksAPasswordParameterForLogs() {
            DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://localhost/db?user=a&password=hunter2&ssl=true");

            assertThat(url.redactedJdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db?user=a&password=****&ssl=true");
            assertThat(url.toString()).doesNotContain("hunter2");
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest
        @ValueSource(strings = {"mysql://u:hunter2@h/db", "hunter2", "http://u:hunter2@h/db"})
        void refusesAnythingButPostgresWithoutEchoingIt(String url) {
            assertThatThrownBy(() -> DatabaseUrl.parse(url))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("DATABASE_URL")
                    .hasMessageContaining("postgresql://")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }

        @Test
        void refusesAMalformedEscapeWithoutShowingThePassword() {
            assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:hunter2%zz@h/db"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("password")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }

        @Test
        void refusesAPortThatIsNotANumber() {
            assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@h:port/db"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("port");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "  ", "postgresql://u:p@/db"})
        void refusesAnEmptyUrlOrHost(String url) {
            assertThatThrownBy(() -> DatabaseUrl.parse(url)).isInstanceOf(SettingsException.class);
        }
    }

    @Test
    void neverPrintsThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://llm:hunter2@localhost/db");

        assertThat(url.toString()).doesNotContain("hunter2").contains("****").contains("llm");
    }
}
