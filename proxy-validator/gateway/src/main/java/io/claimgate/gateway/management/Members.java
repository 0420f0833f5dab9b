package io.claimgate.gateway.management;

import io.claimgate.gateway.http.HttpError;
import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import io.claimgate.validator.store.LiteLlmTable;
import io.claimgate.validator.store.TableColumn.Shape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /team/member_add}, {@code /team/member_delete} and {@code /team/member_update}: LiteLLM's team membership
 * endpoints. A membership lives in three places LiteLLM keeps in step, and each call changes all three in its one
 * transaction: the team's {@code members_with_roles}, the user's {@code teams} and the {@code LiteLLM_TeamMembership}
 * row with the member's own budget row ({@code max_budget_in_team}, {@code tpm_limit}, {@code rpm_limit}).
 *
 * <p>The team row is locked first, so concurrent calls for one team apply one after the other and none loses
 * another's member. Every changed team and user is announced after the commit, so caches drop the old membership.
 */
final class Members {

    private static final String USERS = LiteLlmTable.USER.quoted();
    private static final String MEMBERSHIPS = "\"LiteLLM_TeamMembership\"";

    /** The member-budget fields of a request and the budget columns they set. */
    private static final Map<String, Column> LIMIT_FIELDS = limitFields();

    private final ObjectChangeListener listener;

    Members(ObjectChangeListener listener) {
        this.listener = listener;
    }

    void register(Map<String, Operation> routes) {
        routes.put("/team/member_add", this::add);
        routes.put("/team/member_delete", this::delete);
        routes.put("/team/member_update", this::update);
    }

    private Object add(Call call, Connection c) throws SQLException {
        String teamId = call.requiredBody("team_id");
        Object member = call.body().get("member");
        List<TeamMember> requested = requestedMembers(member);
        Map<String, Object> limits = limits(call.body(), Set.of("max_budget_in_team"));
        Map<String, Object> team = Memberships.lockTeam(c, teamId).orElseThrow(() ->
                AuthException.notFound("team_not_found", "Team not found for team_id=" + teamId));

        Roster roster = Roster.read(team.get("members_with_roles"));
        List<Map<String, Object>> users = new ArrayList<>();
        List<Map<String, Object>> memberships = new ArrayList<>();
        for (TeamMember wanted : requested) {
            // LiteLLM adds the members not yet in the team and refuses only when none is new.
            String userId = wanted.userId() != null ? wanted.userId()
                    : Memberships.userIdByEmail(c, wanted.userEmail());
            if (roster.contains(wanted) || roster.hasUser(userId)) {
                continue;
            }
            Map<String, Object> user = Memberships.joinUser(c, userId, wanted.userEmail(), teamId);
            TeamMember added = wanted.withUserId(user.get("user_id").toString());
            roster = roster.with(added);
            users.add(user);
            if (!limits.isEmpty()) {
                memberships.add(Budgets.attach(c,
                        Memberships.setBudget(c, teamId, added.userId(), limits, call.actor())));
            }
        }
        if (users.isEmpty()) {
            throw alreadyInTeam(member instanceof List<?> ? null : requested.get(0));
        }
        Map<String, Object> out = new LinkedHashMap<>(Memberships.writeRoster(c, teamId, roster));
        out.put("updated_users", users);
        out.put("updated_team_memberships", memberships);
        announce(call, teamId, users.stream().map(u -> u.get("user_id").toString()).toList());
        return out;
    }

    private Object delete(Call call, Connection c) throws SQLException {
        String teamId = call.requiredBody("team_id");
        String userId = optionalText(call.body(), "user_id");
        String userEmail = optionalText(call.body(), "user_email");
        requireUser(userId, userEmail);
        Map<String, Object> team = Memberships.lockTeam(c, teamId).orElseThrow(() -> teamMissing(teamId));

        Roster roster = Roster.read(team.get("members_with_roles"));
        if (!roster.contains(new TeamMember(userId, userEmail, null))) {
            throw JsonResponses.badRequest("user_not_in_team", "User not found in team", userId != null ? "user_id"
                    : "user_email");
        }
        Set<String> userIds = new LinkedHashSet<>(roster.userIds(userId, userEmail));
        if (userId != null) {
            userIds.add(userId);
        } else {
            Rows.query(c, "SELECT user_id FROM " + USERS + " WHERE lower(user_email) = lower(?)", userEmail)
                    .forEach(row -> userIds.add(row.get("user_id").toString()));
        }
        Map<String, Object> updated = Memberships.writeRoster(c, teamId, roster.without(userId, userEmail));
        List<String> ids = List.copyOf(userIds);
        Rows.query(c, "UPDATE " + USERS + " SET teams = array_remove(teams, ?), updated_at = CURRENT_TIMESTAMP"
                + " WHERE user_id = ANY(?) RETURNING user_id", teamId, ids);
        // The member's spend and budget in the team go with the membership, so that a user added again starts anew.
        Rows.query(c, "DELETE FROM " + MEMBERSHIPS + " WHERE team_id = ? AND user_id = ANY(?) RETURNING user_id",
                teamId, ids);
        announce(call, teamId, ids);
        return updated;
    }

    private Object update(Call call, Connection c) throws SQLException {
        String teamId = call.requiredBody("team_id");
        String userId = optionalText(call.body(), "user_id");
        String userEmail = optionalText(call.body(), "user_email");
        requireUser(userId, userEmail);
        String role = TeamMember.role(call.body().get("role"), "role", false);
        Map<String, Object> limits = limits(call.body(), LIMIT_FIELDS.keySet());
        Map<String, Object> team = Memberships.lockTeam(c, teamId).orElseThrow(() -> teamMissing(teamId));

        Roster roster = Roster.read(team.get("members_with_roles"));
        // A member added by id has no e-mail in the roster; the user table then tells whose the e-mail is.
        String memberId = userId != null ? userId : roster.userIdByEmail(userEmail).orElse(null);
        if (memberId == null) {
            memberId = Memberships.userIdByEmail(c, userEmail);
        }
        if (memberId == null) {
            throw JsonResponses.badRequest("user_not_in_team", "User id doesn't exist in team table.", "user_email");
        }
        if (!roster.hasUser(memberId)) {
            // LiteLLM would give a non-member a membership budget; a budget for someone outside the team is refused.
            throw JsonResponses.badRequest("user_not_in_team", "User=" + memberId + " is not a member of Team="
                    + teamId + ". Add them with /team/member_add", "user_id");
        }
        if (!limits.isEmpty()) {
            Memberships.setBudget(c, teamId, memberId, limits, call.actor());
        }
        if (role != null) {
            Memberships.writeRoster(c, teamId, roster.withRole(memberId, role, userEmail));
        }
        announce(call, teamId, List.of(memberId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("team_id", teamId);
        out.put("user_id", memberId);
        out.put("user_email", userEmail);
        out.put("max_budget_in_team", limits.get("max_budget"));
        out.put("tpm_limit", limits.get("tpm_limit"));
        out.put("rpm_limit", limits.get("rpm_limit"));
        return out;
    }

    /**
     * {@code members_with_roles} of {@code /team/new}, which LiteLLM stores on the new team while adding the team to
     * each member's {@code teams} (creating users it does not know): the roster, as {@code /team/member_add} builds it,
     * without membership rows (no member budget is given). Returns the team row; the users joined are added to
     * {@code joined}.
     */
    static Map<String, Object> addInitialMembers(Connection c, Map<String, Object> team, Object members,
                                                 List<String> joined) throws SQLException {
        if (!(members instanceof List<?> list)) {
            throw JsonResponses.badRequest("invalid_members_with_roles", "members_with_roles must be a list of "
                    + "members", "members_with_roles");
        }
        String teamId = team.get("team_id").toString();
        Roster roster = Roster.read(List.of());
        for (Object entry : list) {
            TeamMember wanted = TeamMember.fromRequest(entry, "members_with_roles");
            String userId = wanted.userId() != null ? wanted.userId()
                    : Memberships.userIdByEmail(c, wanted.userEmail());
            if (roster.contains(wanted) || roster.hasUser(userId)) {
                continue;
            }
            Map<String, Object> user = Memberships.joinUser(c, userId, wanted.userEmail(), teamId);
            TeamMember added = wanted.withUserId(user.get("user_id").toString());
            roster = roster.with(added);
            joined.add(added.userId());
        }
        return Memberships.writeRoster(c, teamId, roster);
    }

    /** {@code member}: one member or a non-empty list of them. */
    private static List<TeamMember> requestedMembers(Object member) {
        if (member instanceof List<?> list) {
            if (list.isEmpty()) {
                throw JsonResponses.badRequest("missing_member", "member must be a member or a non-empty list of "
                        + "members", "member");
            }
            return list.stream().map(m -> TeamMember.fromRequest(m, "member")).toList();
        }
        if (member == null) {
            throw JsonResponses.badRequest("missing_member", "member is required", "member");
        }
        return List.of(TeamMember.fromRequest(member, "member"));
    }

    /** The member-budget fields the request gives (a {@code null} value is not given), as budget columns. */
    private static Map<String, Object> limits(Map<String, Object> body, Set<String> accepted) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Column> field : LIMIT_FIELDS.entrySet()) {
            Object value = body.get(field.getKey());
            if (accepted.contains(field.getKey()) && value != null) {
                Column column = field.getValue();
                try {
                    out.put(column.name(), column.check(value));
                } catch (HttpError e) {
                    throw Column.invalid(field.getKey(), "must be " + (column.type() == Shape.NUMBER
                            ? "a number >= 0" : "a whole number >= 0"));
                }
            }
        }
        return out;
    }

    private static Map<String, Column> limitFields() {
        Map<String, Column> fields = new LinkedHashMap<>();
        fields.put("max_budget_in_team", new Column("max_budget", Shape.NUMBER));
        fields.put("tpm_limit", new Column("tpm_limit", Shape.INTEGER));
        fields.put("rpm_limit", new Column("rpm_limit", Shape.INTEGER));
        return fields;
    }

    private void announce(Call call, String teamId, List<String> userIds) {
        // The user's notice also drops their cached memberships (CachedDirectory.invalidateUser).
        call.onCommit(() -> listener.teamChanged(teamId));
        call.onCommit(userIds, listener::userChanged);
    }

    private static String optionalText(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw JsonResponses.badRequest("invalid_" + field, field + " must be a string", field);
        }
        return s.isBlank() ? null : s;
    }

    private static void requireUser(String userId, String userEmail) {
        if (userId == null && userEmail == null) {
            throw JsonResponses.badRequest("missing_user_id", "Either user_id or user_email needs to be passed in",
                    "user_id");
        }
    }

    /** LiteLLM answers 400 for a missing team on member_delete and member_update (404 on member_add). */
    private static HttpError teamMissing(String teamId) {
        return new HttpError(400, ErrorType.BAD_REQUEST_ERROR, "team_not_found", "Team id=" + teamId
                + " does not exist in db", "team_id", null);
    }

    private static HttpError alreadyInTeam(TeamMember member) {
        String message = member == null ? "All users are already in team."
                : "User already in team. Member: user_id=" + python(member.userId()) + ", user_email="
                + python(member.userEmail());
        return new HttpError(400, ErrorType.TEAM_MEMBER_ALREADY_IN_TEAM, "team_member_already_in_team", message,
                "member", null);
    }

    /** A value as LiteLLM's f-string prints it: {@code None} for a missing one. */
    private static String python(String value) {
        return value == null ? "None" : value;
    }
}
