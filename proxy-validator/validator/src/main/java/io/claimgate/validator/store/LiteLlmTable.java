package io.claimgate.validator.store;

import io.claimgate.validator.store.TableColumn.Shape;
import io.claimgate.validator.store.TableColumn.Use;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One of LiteLLM's tables and every column Claimgate reads or writes in it: the one place each table's columns are
 * named, for the directory's lookups, the schema check and the management API.
 *
 * <p>Table and column names are these constants, never request input, so SQL may quote them in; values are always
 * bound as parameters.
 */
public final class LiteLlmTable {

    private static final Set<Use> LOOKUP = Set.of(Use.LOOKUP);
    private static final Set<Use> MANAGEMENT = Set.of(Use.MANAGEMENT);
    private static final Set<Use> BOTH = Set.of(Use.LOOKUP, Use.MANAGEMENT);
    private static final Set<Use> EXISTS = Set.of();

    public static final LiteLlmTable BUDGET = new LiteLlmTable("LiteLLM_BudgetTable", "budget_id", List.of(
            column("budget_id", Shape.TEXT, BOTH), column("max_budget", Shape.NUMBER, BOTH),
            column("soft_budget", Shape.NUMBER, BOTH), column("max_parallel_requests", Shape.INTEGER, MANAGEMENT),
            column("tpm_limit", Shape.INTEGER, MANAGEMENT), column("rpm_limit", Shape.INTEGER, MANAGEMENT),
            column("budget_duration", Shape.TEXT, MANAGEMENT), column("created_by", Shape.TEXT, MANAGEMENT),
            column("updated_by", Shape.TEXT, MANAGEMENT), column("created_at", Shape.TIMESTAMP, EXISTS),
            column("updated_at", Shape.TIMESTAMP, EXISTS)));

    public static final LiteLlmTable ORGANIZATION = new LiteLlmTable("LiteLLM_OrganizationTable", "organization_id",
            List.of(column("organization_id", Shape.TEXT, BOTH), column("organization_alias", Shape.TEXT, BOTH),
                    column("budget_id", Shape.TEXT, BOTH), column("models", Shape.TEXT_LIST, BOTH),
                    column("spend", Shape.NUMBER, LOOKUP), column("metadata", Shape.JSON, MANAGEMENT),
                    column("created_by", Shape.TEXT, MANAGEMENT), column("updated_by", Shape.TEXT, MANAGEMENT),
                    column("created_at", Shape.TIMESTAMP, EXISTS), column("updated_at", Shape.TIMESTAMP, EXISTS)));

    public static final LiteLlmTable TEAM = new LiteLlmTable("LiteLLM_TeamTable", "team_id", List.of(
            column("team_id", Shape.TEXT, BOTH), column("team_alias", Shape.TEXT, BOTH),
            column("organization_id", Shape.TEXT, BOTH), column("models", Shape.TEXT_LIST, BOTH),
            column("max_budget", Shape.NUMBER, BOTH), column("soft_budget", Shape.NUMBER, MANAGEMENT),
            column("spend", Shape.NUMBER, LOOKUP), column("max_parallel_requests", Shape.INTEGER, MANAGEMENT),
            column("tpm_limit", Shape.INTEGER, MANAGEMENT), column("rpm_limit", Shape.INTEGER, MANAGEMENT),
            column("budget_duration", Shape.TEXT, MANAGEMENT), column("blocked", Shape.BOOLEAN, BOTH),
            column("metadata", Shape.JSON, BOTH), column("admins", Shape.TEXT_LIST, MANAGEMENT),
            column("members", Shape.TEXT_LIST, MANAGEMENT),
            // The team's model aliases are read through it, from MODEL.
            column("model_id", Shape.INTEGER, LOOKUP),
            // Lookups by alias take the oldest team.
            column("created_at", Shape.TIMESTAMP, LOOKUP), column("updated_at", Shape.TIMESTAMP, EXISTS)));

    /** LiteLLM's team model aliases: {@code aliases} (Prisma's {@code model_aliases}), found by a team's model_id. */
    public static final LiteLlmTable MODEL = new LiteLlmTable("LiteLLM_ModelTable", "id", List.of(
            column("id", Shape.INTEGER, LOOKUP), column("aliases", Shape.JSON, LOOKUP),
            column("created_at", Shape.TIMESTAMP, EXISTS), column("updated_at", Shape.TIMESTAMP, EXISTS)));

    public static final LiteLlmTable USER = new LiteLlmTable("LiteLLM_UserTable", "user_id", List.of(
            column("user_id", Shape.TEXT, BOTH), column("user_alias", Shape.TEXT, MANAGEMENT),
            column("user_email", Shape.TEXT, BOTH), column("user_role", Shape.TEXT, BOTH),
            column("sso_user_id", Shape.TEXT, BOTH), column("organization_id", Shape.TEXT, BOTH),
            column("teams", Shape.TEXT_LIST, BOTH), column("models", Shape.TEXT_LIST, BOTH),
            column("max_budget", Shape.NUMBER, BOTH), column("spend", Shape.NUMBER, LOOKUP),
            column("max_parallel_requests", Shape.INTEGER, MANAGEMENT),
            column("tpm_limit", Shape.INTEGER, MANAGEMENT), column("rpm_limit", Shape.INTEGER, MANAGEMENT),
            column("budget_duration", Shape.TEXT, MANAGEMENT),
            // The user upsert writes metadata; lookups by e-mail take the oldest user.
            column("metadata", Shape.JSON, BOTH), column("created_at", Shape.TIMESTAMP, LOOKUP),
            column("updated_at", Shape.TIMESTAMP, EXISTS)));

    public static final LiteLlmTable END_USER = new LiteLlmTable("LiteLLM_EndUserTable", "user_id", List.of(
            column("user_id", Shape.TEXT, BOTH), column("alias", Shape.TEXT, BOTH),
            column("spend", Shape.NUMBER, LOOKUP), column("allowed_model_region", Shape.TEXT, MANAGEMENT),
            column("default_model", Shape.TEXT, MANAGEMENT), column("budget_id", Shape.TEXT, BOTH),
            column("blocked", Shape.BOOLEAN, BOTH)));

    /** Every table, in the order their foreign keys allow creating them. */
    public static final List<LiteLlmTable> ALL = List.of(BUDGET, ORGANIZATION, MODEL, TEAM, USER, END_USER);

    private final String name;
    private final String key;
    private final List<TableColumn> columns;

    private LiteLlmTable(String name, String key, List<TableColumn> columns) {
        this.name = name;
        this.key = key;
        this.columns = List.copyOf(columns);
    }

    private static TableColumn column(String name, Shape shape, Set<Use> uses) {
        return new TableColumn(name, shape, uses);
    }

    /** The table name as LiteLLM's Prisma schema spells it, e.g. {@code LiteLLM_TeamTable}. */
    public String name() {
        return name;
    }

    /** The name quoted for SQL: LiteLLM's names are mixed-case. */
    public String quoted() {
        return '"' + name + '"';
    }

    /** The primary key column. */
    public String key() {
        return key;
    }

    /** Every column Claimgate knows of, in declaration order. */
    public List<TableColumn> columns() {
        return columns;
    }

    /** The columns the management API writes. */
    public List<TableColumn> managedColumns() {
        return columns.stream().filter(TableColumn::managed).toList();
    }

    /** The names of the columns the directory reads: what a LiteLLM database must have. */
    public List<String> lookupColumns() {
        return columns.stream().filter(TableColumn::lookedUp).map(TableColumn::name).toList();
    }

    /** Whether the table has this column. */
    public boolean has(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column));
    }

    /**
     * The lookup columns as an SQL select list, each prefixed with {@code qualifier.} when one is given.
     *
     * @param withKey whether to include the key (a joined table's key is usually the joining table's column)
     */
    String selectList(String qualifier, boolean withKey) {
        String prefix = qualifier == null ? "" : qualifier + ".";
        return lookupColumns().stream().filter(column -> withKey || !column.equals(key))
                .map(column -> prefix + column).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return name;
    }
}
