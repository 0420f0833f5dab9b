package io.claimgate.gateway.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A team's {@code members_with_roles}: the JSON list of members LiteLLM keeps on the team row. Entries are kept as
 * stored, fields this class does not know included, so that a roster LiteLLM wrote survives a change made here.
 * Immutable; each change returns a new roster. Pure.
 */
final class Roster {

    private final List<Object> entries;

    private Roster(List<Object> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * The roster as read from the column: a list of members; anything else (Prisma's default {@code {}}, SQL
     * {@code NULL}) is an empty roster.
     */
    static Roster read(Object stored) {
        if (stored instanceof List<?> list) {
            return new Roster(list.stream().filter(Objects::nonNull).map(Object.class::cast).toList());
        }
        return new Roster(List.of());
    }

    /** LiteLLM's duplicate check: a member is in the team when an entry has their user id, or their e-mail. */
    boolean contains(TeamMember member) {
        return entries.stream().anyMatch(e -> matches(e, member.userId(), member.userEmail()));
    }

    /** Whether an entry names this user id. */
    boolean hasUser(String userId) {
        return userId != null && entries.stream().anyMatch(e -> matches(e, userId, null));
    }

    /** The user id of the first entry with this e-mail that has one. */
    Optional<String> userIdByEmail(String email) {
        return entries.stream().filter(e -> matches(e, null, email)).map(e -> field(e, "user_id"))
                .filter(Objects::nonNull).findFirst();
    }

    /** This roster with the member appended. */
    Roster with(TeamMember member) {
        List<Object> out = new ArrayList<>(entries);
        out.add(member.toJson());
        return new Roster(out);
    }

    /** This roster without the entries naming this user id or this e-mail (either may be {@code null}). */
    Roster without(String userId, String userEmail) {
        return new Roster(entries.stream().filter(e -> !matches(e, userId, userEmail)).toList());
    }

    /** The user ids of the entries {@link #without} would remove. */
    List<String> userIds(String userId, String userEmail) {
        return entries.stream().filter(e -> matches(e, userId, userEmail)).map(e -> field(e, "user_id"))
                .filter(Objects::nonNull).distinct().toList();
    }

    /**
     * This roster with the role of the user's entries changed, and their e-mail too when one is given (as LiteLLM's
     * {@code /team/member_update} does).
     */
    Roster withRole(String userId, String role, String userEmail) {
        List<Object> out = new ArrayList<>();
        for (Object entry : entries) {
            if (matches(entry, userId, null)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> changed = new LinkedHashMap<>((Map<String, Object>) entry);
                changed.put("role", role);
                if (userEmail != null) {
                    changed.put("user_email", userEmail);
                }
                out.add(changed);
            } else {
                out.add(entry);
            }
        }
        return new Roster(out);
    }

    int size() {
        return entries.size();
    }

    /** The value to store in the column. */
    List<Object> json() {
        return entries;
    }

    private static boolean matches(Object entry, String userId, String userEmail) {
        return (userId != null && userId.equals(field(entry, "user_id")))
                || (userEmail != null && userEmail.equals(field(entry, "user_email")));
    }

    private static String field(Object entry, String name) {
        return entry instanceof Map<?, ?> map && map.get(name) instanceof String s ? s : null;
    }
}
