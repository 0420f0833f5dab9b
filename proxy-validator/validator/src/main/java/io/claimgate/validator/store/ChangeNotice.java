package io.claimgate.validator.store;

import java.util.Objects;

/**
 * A change to an object the gateway caches, as announced on PostgreSQL's {@link #CHANNEL}: {@code kind:id}, e.g.
 * {@code team:research}. The management API announces its changes; with the V3 migration's triggers the database
 * announces every change to the LiteLLM tables, whoever made it (LiteLLM's own UI included).
 *
 * <p>A change of the object's spend and nothing else (a spend flush's {@code spend = spend + x}, the gateway's own or
 * LiteLLM's) is announced as {@code spend:kind:id} (V6 migration): it changes no access decision but the budget check,
 * so a replica keeps serving the object while it reads it again, instead of making every request for it wait. A
 * replica from before V6 reads the prefix as a kind it does not know, that is as {@link Kind#ALL}: safe, if costly.
 *
 * @param kind      what changed
 * @param id        its id; for {@link Kind#MEMBERSHIP} {@code team_id:user_id}; empty for {@link Kind#ALL}
 * @param spendOnly whether only its spend changed; never for {@link Kind#BUDGET} and {@link Kind#ALL}, which hold none
 */
public record ChangeNotice(Kind kind, String id, boolean spendOnly) {

    /** The channel every replica listens on. */
    public static final String CHANNEL = "claimgate_changes";
    /** PostgreSQL refuses payloads of 8000 bytes or more; longer ids are announced as "everything changed". */
    static final int MAX_PAYLOAD = 7900;
    /** Marks a notice of a spend-only change: {@code spend:team:research}. */
    static final String SPEND_PREFIX = "spend:";

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
        spendOnly = spendOnly && kind != Kind.BUDGET && kind != Kind.ALL;
    }

    /** A change that may concern more than spend. */
    public ChangeNotice(Kind kind, String id) {
        this(kind, id, false);
    }

    /** A change of this object's spend and nothing else. */
    public static ChangeNotice ofSpend(Kind kind, String id) {
        return new ChangeNotice(kind, id, true);
    }

    /** The payload sent with {@code pg_notify}. */
    public String payload() {
        String payload = (spendOnly ? SPEND_PREFIX : "") + kind.prefix() + ":" + id;
        return payload.length() > MAX_PAYLOAD ? Kind.ALL.prefix() + ":" : payload;
    }

    /**
     * Reads a payload; one that names no known kind is read as {@link Kind#ALL}: a notice that cannot be understood
     * still means something changed, and dropping everything is the safe answer.
     */
    public static ChangeNotice parse(String payload) {
        if (payload != null) {
            boolean spendOnly = payload.startsWith(SPEND_PREFIX);
            String change = spendOnly ? payload.substring(SPEND_PREFIX.length()) : payload;
            int colon = change.indexOf(':');
            if (colon > 0) {
                String prefix = change.substring(0, colon);
                for (Kind kind : Kind.values()) {
                    if (kind.prefix().equals(prefix)) {
                        return new ChangeNotice(kind, change.substring(colon + 1), spendOnly);
                    }
                }
            }
        }
        return new ChangeNotice(Kind.ALL, "");
    }
}
