package io.claimgate.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A real embedded PostgreSQL with LiteLLM's tables, created by the project's own Flyway migrations. */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private TestDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static TestDatabase start() throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        TestDatabase db = new TestDatabase(postgres);
        db.createSchema();
        return db;
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /** Empties LiteLLM's object tables between tests. */
    public void truncate() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE \"LiteLLM_TeamTable\", \"LiteLLM_UserTable\", \"LiteLLM_EndUserTable\", "
                    + "\"LiteLLM_OrganizationTable\", \"LiteLLM_BudgetTable\" CASCADE");
        }
    }

    private void createSchema() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
