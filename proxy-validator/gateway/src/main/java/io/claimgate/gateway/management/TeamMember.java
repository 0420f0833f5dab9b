package io.claimgate.gateway.management;

import io.claimgate.gateway.http.JsonResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One member as LiteLLM's {@code Member} names it, in a request or in a team's {@code members_with_roles}: a user by
 * {@code user_id} or {@code user_email}, with a role in the team.
 *
 * @param userId    the user's id, or {@code null} when only the e-mail names them
 * @param userEmail the user's e-mail, or {@code null}
 * @param role      {@code admin} or {@code user}
 */
record TeamMember(String userId, String userEmail, String role) {

    /** LiteLLM's team roles. */
    static final List<String> ROLES = List.of("admin", "user");

    /**
     * A member as a request gives it: an object with a {@code role} LiteLLM knows and a {@code user_id} or a
     * {@code user_email}. Anything else is a 400 naming {@code field}.
     */
    static TeamMember fromRequest(Object value, String field) {
        if (!(value instanceof Map<?, ?> member)) {
            throw JsonResponses.badRequest("invalid_" + field, field + " must be an object with role and user_id "
                    + "or user_email", field);
        }
        String userId = text(member.get("user_id"), field + ".user_id");
        String userEmail = text(member.get("user_email"), field + ".user_email");
        if (userId == null && userEmail == null) {
            throw JsonResponses.badRequest("invalid_" + field, "Either user id or user email must be provided",
                    field);
        }
        return new TeamMember(userId, userEmail, role(member.get("role"), field + ".role", true));
    }

    /** A role a request sets; {@code null} when {@code required} is false and none is given. */
    static String role(Object value, String field, boolean required) {
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String role) || !ROLES.contains(role)) {
            throw JsonResponses.badRequest("invalid_role", field + " must be one of " + ROLES, field);
        }
        return role;
    }

    /** This member with the user id the e-mail was resolved to. */
    TeamMember withUserId(String id) {
        return new TeamMember(id, userEmail, role);
    }

    /** The entry stored in {@code members_with_roles}, with LiteLLM's field names. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", userId);
        out.put("user_email", userEmail);
        out.put("role", role);
        return out;
    }

    private static String text(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw JsonResponses.badRequest("invalid_" + field, field + " must be a string", field);
        }
        return s.isBlank() ? null : s;
    }
}
