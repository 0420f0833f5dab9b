package io.claimgate.validator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.validator.store.TableColumn.Shape;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one list of LiteLLM's columns against a real schema: every column declared exists, with the declared shape. */
class LiteLlmTableIT {

    private static final Map<Shape, Set<String>> SQL_TYPES = Map.of(
            Shape.TEXT, Set.of("text"),
            Shape.TEXT_LIST, Set.of("_text"),
            Shape.NUMBER, Set.of("float8"),
            Shape.INTEGER, Set.of("int4", "int8"),
            Shape.BOOLEAN, Set.of("bool"),
            Shape.JSON, Set.of("jsonb"),
            Shape.TIMESTAMP, Set.of("timestamp"));

    private static final Map<String, String> TYPES = new HashMap<>();

    @BeforeAll
    static void readTheMigratedSchema() throws Exception {
        String jdbcUrl = TestPostgres.freshDatabase();
        Database.open(DatabaseSettings.of(jdbcUrl)).close();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             PreparedStatement statement = connection.prepareStatement("SELECT table_name, column_name, udt_name"
                     + " FROM information_schema.columns WHERE table_schema = current_schema()");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                TYPES.put(rows.getString(1) + "." + rows.getString(2), rows.getString(3));
            }
        }
    }

    @Test
    void everyDeclaredColumnExistsWithItsShape() {
        for (LiteLlmTable table : LiteLlmTable.ALL) {
            for (TableColumn column : table.columns()) {
                String type = TYPES.get(table.name() + "." + column.name());

                assertThat(type).as(table + "." + column.name()).isNotNull();
                assertThat(SQL_TYPES.get(column.shape())).as(table + "." + column.name()).contains(type);
            }
            assertThat(TYPES).as(table + " key").containsKey(table.name() + "." + table.key());
        }
    }

    @Test
    void theSchemaCheckRequiresExactlyWhatLookupsRead() {
        for (LiteLlmTable table : LiteLlmTable.ALL) {
            assertThat(Schema.COLUMNS_READ.get(table.name())).containsExactlyElementsOf(table.lookupColumns());
        }
        assertThat(Schema.COLUMNS_READ).hasSize(LiteLlmTable.ALL.size());
    }

    @Test
    void theManagementApiNeverWritesWhatTheDatabaseKeeps() {
        for (LiteLlmTable table : LiteLlmTable.ALL) {
            assertThat(table.managedColumns()).extracting(TableColumn::name)
                    .doesNotContain("spend", "created_at", "updated_at");
        }
    }

    @Test
    void joinedSelectListsLeaveTheKeyToTheJoiningTable() {
        assertThat(LiteLlmTable.BUDGET.selectList("b", false)).isEqualTo("b.max_budget, b.soft_budget");
        assertThat(LiteLlmTable.TEAM.selectList(null, true)).startsWith("team_id, team_alias");
    }
}
