package io.claimgate.validator.store;

import java.util.Set;

/**
 * A column of one of LiteLLM's tables, as Claimgate uses it.
 *
 * @param name  the column name in LiteLLM's schema (also the field name of LiteLLM's management API)
 * @param shape the shape of its values
 * @param uses  who reads or writes it; a column with no use is only known to exist ({@code updated_at})
 */
public record TableColumn(String name, Shape shape, Set<Use> uses) {

    /** The shapes of LiteLLM's columns, as JSON values take them. */
    public enum Shape { TEXT, TEXT_LIST, NUMBER, INTEGER, BOOLEAN, JSON, TIMESTAMP }

    /** Who needs the column. */
    public enum Use {
        /** The directory reads it when authenticating: a LiteLLM database must have it. */
        LOOKUP,
        /** The management API writes it from the request field of the same name. */
        MANAGEMENT
    }

    public TableColumn {
        uses = Set.copyOf(uses);
    }

    public boolean lookedUp() {
        return uses.contains(Use.LOOKUP);
    }

    public boolean managed() {
        return uses.contains(Use.MANAGEMENT);
    }
}
