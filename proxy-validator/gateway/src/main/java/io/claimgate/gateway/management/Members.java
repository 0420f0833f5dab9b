package io.claimgate.gateway.management;

import io.claimgate.gateway.http.HttpError;
import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.model.ProxyRole;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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

    private static final String TEAMS = LiteLlmTable.TEAM.quoted();
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
        Map<String, Object> team = lockTeam(c, teamId).orElseThrow(() -> AuthException.notFound("team_not_found",
                "Team not found for team_id=" + teamId));

        Roster roster = Roster.read(team.get("members_with_roles"));
        List<Map<String, Object>> users = new ArrayList<>();
        List<Map<String, Object>> memberships = new ArrayList<>();
        for (TeamMember wanted : requested) {
            // LiteLLM adds the members not yet in the team and refuses only when none is new.
            String userId = wanted.userId() != null ? wanted.userId() : userIdByEmail(c, wanted.userEmail());
            if (roster.contains(wanted) || roster.hasUser(userId)) {
                continue;
            }
            Map<String, Object> user = joinUser(c, userId, wanted.userEmail(), teamId);
            TeamMember added = wanted.withUserId(user.get("user_id").toString());
            roster = roster.with(added);
            users.add(user);
            if (!limits.isEmpty()) {
                memberships.add(Budgets.attach(c, setBudget(c, teamId, added.userId(), limits, call.actor())));
            }
        }
        if (users.isEmpty()) {
            throw alreadyInTeam(member instanceof List<?> ? null : requested.get(0));
        }
        Map<String, Object> out = new LinkedHashMap<>(writeRoster(c, teamId, roster));
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
        Map<String, Object> team = lockTeam(c, teamId).orElseThrow(() -> teamMissing(teamId));

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
        Map<String, Object> updated = writeRoster(c, teamId, roster.without(userId, userEmail));
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
        Map<String, Object> team = lockTeam(c, teamId).orElseThrow(() -> teamMissing(teamId));

        Roster roster = Roster.read(team.get("members_with_roles"));
        // A member added by id has no e-mail in the roster; the user table then tells whose the e-mail is.
        String memberId = userId != null ? userId : roster.userIdByEmail(userEmail).orElse(null);
        if (memberId == null) {
            memberId = userIdByEmail(c, userEmail);
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
            setBudget(c, teamId, memberId, limits, call.actor());
        }
        if (role != null) {
            writeRoster(c, teamId, roster.withRole(memberId, role, userEmail));
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
            String userId = wanted.userId() != null ? wanted.userId() : userIdByEmail(c, wanted.userEmail());
            if (roster.contains(wanted) || roster.hasUser(userId)) {
                continue;
            }
            TeamMember added = wanted.withUserId(joinUser(c, userId, wanted.userEmail(), teamId).get("user_id")
                    .toString());
            roster = roster.with(added);
            joined.add(added.userId());
        }
        return writeRoster(c, teamId, roster);
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

    private static Optional<Map<String, Object>> lockTeam(Connection c, String teamId) throws SQLException {
        return Rows.query(c, "SELECT * FROM " + TEAMS + " WHERE team_id = ? FOR UPDATE", teamId).stream()
                .findFirst();
    }

    private static Map<String, Object> writeRoster(Connection c, String teamId, Roster roster) throws SQLException {
        Map<String, Object> team = Rows.query(c, "UPDATE " + TEAMS + " SET members_with_roles = CAST(? AS jsonb),"
                + " updated_at = CURRENT_TIMESTAMP WHERE team_id = ? RETURNING *", Rows.toJson(roster.json()),
                teamId).get(0);
        return Teams.withRosterList(team);
    }

    /** The one user with this e-mail (ignoring case, as every e-mail lookup here), or {@code null} when none. */
    private static String userIdByEmail(Connection c, String email) throws SQLException {
        List<Map<String, Object>> rows = Rows.query(c, "SELECT user_id FROM " + USERS
                + " WHERE lower(user_email) = lower(?) ORDER BY user_id LIMIT 2", email);
        if (rows.size() > 1) {
            throw JsonResponses.badRequest("user_email_ambiguous", "Multiple users with this email found in db. "
                    + "Please use 'user_id' instead.", "user_email");
        }
        return rows.isEmpty() ? null : rows.get(0).get("user_id").toString();
    }

    /**
     * Adds the team to the user's {@code teams}, creating the user as LiteLLM does when none has this id (or, without
     * an id, this e-mail): an {@code internal_user} with a generated id.
     */
    private static Map<String, Object> joinUser(Connection c, String userId, String email, String teamId)
            throws SQLException {
        String id = userId != null ? userId : UUID.randomUUID().toString();
        if (Users.TABLE.find(c, id).isEmpty()) {
            if (email != null && userIdByEmail(c, email) != null) {
                throw JsonResponses.badRequest("user_email_taken", "user_email '" + email + "' belongs to another "
                        + "user; name that user by user_id", "user_email");
            }
            Rows.query(c, "INSERT INTO " + USERS + " (user_id, user_email, user_role, teams, models, metadata)"
                    + " VALUES (?, ?, ?, '{}', '{}', '{}') ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
                    id, email, ProxyRole.INTERNAL_USER.wireValue());
        }
        // The filter makes the append a no-op when the team is there already, so teams never lists a team twice.
        Rows.query(c, "UPDATE " + USERS + " SET teams = array_append(coalesce(teams, '{}'), ?),"
                + " updated_at = CURRENT_TIMESTAMP WHERE user_id = ? AND NOT (? = ANY(coalesce(teams, '{}')))"
                + " RETURNING user_id", teamId, id, teamId);
        return Users.TABLE.require(c, id);
    }

    /**
     * Sets the member's budget limits: in the membership's own budget row, or in a new one when it has none or shares
     * it (a budget row other objects also use is copied, so that one member's change reaches no one else).
     */
    private static Map<String, Object> setBudget(Connection c, String teamId, String userId,
                                                 Map<String, Object> limits, String actor) throws SQLException {
        Optional<Map<String, Object>> membership = Rows.query(c, "SELECT * FROM " + MEMBERSHIPS
                + " WHERE team_id = ? AND user_id = ? FOR UPDATE", teamId, userId).stream().findFirst();
        Object budgetId = membership.map(m -> m.get("budget_id")).orElse(null);
        Optional<Map<String, Object>> budget = Budgets.find(c, budgetId);
        String id;
        if (budget.isPresent() && !shared(c, budgetId.toString(), teamId, userId)) {
            id = Budgets.apply(c, budgetId, limits, actor);
        } else {
            Map<String, Object> values = new LinkedHashMap<>(budget.map(Budgets::limits).orElse(Map.of()));
            values.putAll(limits);
            id = Budgets.create(c, values, actor).get("budget_id").toString();
        }
        return Rows.query(c, "INSERT INTO " + MEMBERSHIPS + " (user_id, team_id, budget_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, team_id) DO UPDATE SET budget_id = EXCLUDED.budget_id RETURNING *",
                userId, teamId, id).get(0);
    }

    /** Whether anything but this membership uses the budget row: another membership, an organization, a customer. */
    private static boolean shared(Connection c, String budgetId, String teamId, String userId) throws SQLException {
        return !Rows.query(c, "SELECT 1 FROM " + MEMBERSHIPS + " WHERE budget_id = ? AND NOT (team_id = ? AND"
                + " user_id = ?) UNION ALL SELECT 1 FROM " + LiteLlmTable.ORGANIZATION.quoted() + " WHERE budget_id = ?"
                + " UNION ALL SELECT 1 FROM " + LiteLlmTable.END_USER.quoted() + " WHERE budget_id = ?"
                + " UNION ALL SELECT 1 FROM " + TEAMS + " WHERE metadata ->> 'team_member_budget_id' = ? LIMIT 1",
                budgetId, teamId, userId, budgetId, budgetId, budgetId).isEmpty();
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
