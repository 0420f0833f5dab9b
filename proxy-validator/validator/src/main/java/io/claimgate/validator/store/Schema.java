package io.claimgate.validator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables Claimgate reads: created by Flyway in a database of its own, or checked in a database LiteLLM manages.
 */
final class Schema {

    /** Flyway's history table; named for Claimgate so that it cannot be mistaken for another tool's. */
    static final String HISTORY_TABLE = "claimgate_schema_history";

    /** Every column a lookup reads or the user upsert writes, by table: what a LiteLLM database must have. */
    static final Map<String, List<String>> COLUMNS_READ = columnsRead();

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    private Schema() {
    }

    /**
     * Creates or upgrades the tables; refuses a LiteLLM database, which must be used with migrations off.
     *
     * <p>Flyway gets connections of its own, without the pool's socket timeout: that timeout is sized for lookups,
     * and a migration building an index on a large table may rightly take longer.
     */
    static void migrate(DataSource dataSource, DatabaseUrl url) {
        Map<String, Set<String>> present = columnsPresent(dataSource);
        if (!present.isEmpty() && !hasHistory(dataSource)) {
            throw new DatabaseException("The database already has LiteLLM's tables (" + String.join(", ",
                    present.keySet()) + ") but no Claimgate migration history: it looks like a database LiteLLM "
                    + "manages. Use it with migrations turned off (DatabaseSettings.withMigrate(false)), so that "
                    + "Claimgate only reads it, or point Claimgate at an empty database.");
        }
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(url.jdbcUrl(), url.user(), url.password())
                    .locations("classpath:db/migration")
                    .table(HISTORY_TABLE)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
            LOG.info("Database schema at version {} ({} migrations applied now)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new DatabaseException("Database migration failed: " + redacted(e.getMessage(), url), e);
        }
    }

    /** Flyway's messages may quote the URL it connected to, which may carry the password. */
    private static String redacted(String message, DatabaseUrl url) {
        String safe = String.valueOf(message).replace(url.jdbcUrl(), url.redactedJdbcUrl());
        return url.password() == null || url.password().isEmpty() ? safe : safe.replace(url.password(), "****");
    }

    /** Checks, without changing anything, that every table and column Claimgate reads exists. */
    static void verify(DataSource dataSource) {
        Map<String, Set<String>> present = columnsPresent(dataSource);
        List<String> missing = new ArrayList<>();
        COLUMNS_READ.forEach((table, columns) -> {
            Set<String> found = present.get(table);
            if (found == null) {
                missing.add("table \"" + table + "\"");
                return;
            }
            for (String column : columns) {
                if (!found.contains(column)) {
                    missing.add("column \"" + table + "\".\"" + column + "\"");
                }
            }
        });
        if (!missing.isEmpty()) {
            throw new DatabaseException("The database lacks " + String.join(", ", missing) + " in schema \""
                    + currentSchema(dataSource) + "\". With migrations off Claimgate expects LiteLLM's tables; let "
                    + "LiteLLM create them (run it once against this database), or turn migrations on for a database "
                    + "of Claimgate's own.");
        }
        LOG.info("Database schema checked: LiteLLM's tables are present; migrations are off");
    }

    private static Map<String, Set<String>> columnsPresent(DataSource dataSource) {
        String sql = "SELECT table_name, column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ANY (?)";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", COLUMNS_READ.keySet().toArray()));
            Map<String, Set<String>> present = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    present.computeIfAbsent(rows.getString(1), table -> new HashSet<>()).add(rows.getString(2));
                }
            }
            return present;
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    private static boolean hasHistory(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT 1 FROM information_schema.tables"
                             + " WHERE table_schema = current_schema() AND table_name = ?")) {
            statement.setString(1, HISTORY_TABLE);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    private static String currentSchema(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT current_schema()");
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : "?";
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    private static DatabaseException unreachable(SQLException e) {
        return new DatabaseException("Cannot reach the database to check its schema: " + e.getMessage(), e);
    }

    private static Map<String, List<String>> columnsRead() {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (LiteLlmTable table : LiteLlmTable.ALL) {
            columns.put(table.name(), table.lookupColumns());
        }
        return Collections.unmodifiableMap(columns);
    }
}
