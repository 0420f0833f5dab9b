package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.validator.AuthException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    @ParameterizedTest
    @CsvSource({
            "08001, sqlclient_unable_to_establish_sqlconnection",
            "08006, connection_failure",
            "53300, too_many_connections",
            "53100, disk_full",
            "57P01, admin_shutdown",
            "57P03, cannot_connect_now",
            "57P05, idle_session_timeout",
            "57014, query_canceled",
            "40001, serialization_failure",
            "40P01, deadlock_detected"})
    void answersAnOutageWith503DatabaseUnavailable(String sqlState, String name) {
        AuthException refusal = DatabaseFailures.of("team lookup", new SQLException(name, sqlState));

        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.reason()).isEqualTo("database_unavailable");
    }

    @ParameterizedTest
    @CsvSource({
            "42P01, undefined_table",
            "42703, undefined_column",
            "XX000, internal_error",
            "57000, operator_intervention"})
    void answersAnErrorAnOperatorMustFixWith503DatabaseError(String sqlState, String name) {
        AuthException refusal = DatabaseFailures.of("/team/new", new SQLException(name, sqlState));

        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.reason()).isEqualTo("database_error");
    }

    @Test
    void treatsThePoolsTimeoutAsAnOutage() {
        AuthException refusal = DatabaseFailures.of("user lookup",
                new SQLTransientConnectionException("Connection is not available, request timed out"));

        assertThat(refusal.reason()).isEqualTo("database_unavailable");
    }

    @Test
    void treatsAFailureWithoutSqlStateAsAnError() {
        assertThat(DatabaseFailures.of("lookup", new SQLException("Connection is closed")).reason())
                .isEqualTo("database_error");
        assertThat(DatabaseFailures.of("lookup", new IllegalStateException("column holds invalid JSON")).reason())
                .isEqualTo("database_error");
    }

    @Test
    void keepsTheSqlDetailOutOfTheClientsMessage() {
        AuthException refusal = DatabaseFailures.of("team lookup",
                new SQLNonTransientConnectionException("FATAL: password authentication failed for user \"litellm\"",
                        "08004"));

        assertThat(refusal.getMessage()).doesNotContain("password").doesNotContain("litellm");
        assertThat(refusal.status()).isEqualTo(503);
    }
}
