package io.claimgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.Team;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.DatabaseException;
import io.claimgate.validator.store.PostgresDirectory;
import io.claimgate.validator.store.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseIT {

    @TempDir
    Path dataDirectory;

    @Test
    void keepsTheDataAcrossRestarts() {
        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDirectory, 0);
             Database database = Database.open(server.jdbcUrl())) {
            TestPostgres.execute(server.jdbcUrl(),
                    "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias) VALUES ('team-kept', 'kept')");
        }

        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDirectory, 0);
             Database database = Database.open(server.jdbcUrl())) {
            assertThat(new PostgresDirectory(database.dataSource()).team("team-kept")).map(Team::teamAlias)
                    .contains("kept");
        }
    }

    @Test
    void listensOnTheRequestedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        try (EmbeddedDatabase server = EmbeddedDatabase.start(dataDirectory, port)) {
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.jdbcUrl()).contains(":" + port + "/");
        }
    }

    @Test
    void refusesADataDirectoryAnotherServerUses() {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDirectory, 0)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDirectory, 0))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining(dataDirectory.toAbsolutePath().toString());
            assertThat(first.port()).isPositive();
        }
    }

    @Test
    void refusesADirectoryThatHoldsSomethingElse() throws IOException {
        Files.writeString(dataDirectory.resolve("notes.txt"), "not a database");

        assertThatThrownBy(() -> EmbeddedDatabase.start(dataDirectory, 0)).isInstanceOf(DatabaseException.class);
    }
}
