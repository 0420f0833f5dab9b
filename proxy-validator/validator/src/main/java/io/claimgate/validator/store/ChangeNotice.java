package io.claimgate.validator.store;

import java.util.Objects;

/**
 * A change to an object the gateway caches, as announced on PostgreSQL's {@link #CHANNEL}: {@code kind:id}, e.g.
 * {@code team:research}. The management API announces its changes; with the V3 migration's triggers the database
 * announces every change to the LiteLLM tables, whoever made it (LiteLLM's own UI included).
 *
 * @param kind what changed
 * @param id   its id; for {@link Kind#MEMBERSHIP} {@code team_id:user_id}; empty for {@link Kind#ALL}
 */
public record ChangeNotice(Kind kind, String id) {

    /** The channel every replica listens on. */
    public static final String CHANNEL = "claimgate_changes";
    /** PostgreSQL refuses payloads of 8000 bytes or more; longer ids are announced as "everything changed". */
    static final int MAX_PAYLOAD = 7900;

    /** The kinds of objects announced, by their payload prefix. */
    public enum Kind {
        TEAM("team"),
        USER("user"),
        ORGANIZATION("organization"),
        END_USER("end_user"),
        BUDGET("budget"),
        MEMBERSHIP("membership"),
        /** Anything may have changed: drop every cached object. */
        ALL("all");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public ChangeNotice {
        Objects.requireNonNull(kind, "kind");
        id = id == null ? "" : id;
    }

    /** The payload sent with {@code pg_notify}. */
    public String payload() {
        String payload = kind.prefix() + ":" + id;
        return payload.length() > MAX_PAYLOAD ? Kind.ALL.prefix() + ":" : payload;
    }

    /**
     * Reads a payload; one that names no known kind is read as {@link Kind#ALL}: a notice that cannot be understood
     * still means something changed, and dropping everything is the safe answer.
     */
    public static ChangeNotice parse(String payload) {
        if (payload != null) {
            int colon = payload.indexOf(':');
            if (colon > 0) {
                String prefix = payload.substring(0, colon);
                for (Kind kind : Kind.values()) {
                    if (kind.prefix().equals(prefix)) {
                        return new ChangeNotice(kind, payload.substring(colon + 1));
                    }
                }
            }
        }
        return new ChangeNotice(Kind.ALL, "");
    }
}
