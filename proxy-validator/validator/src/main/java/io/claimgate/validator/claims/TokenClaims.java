package io.claimgate.validator.claims;

import java.util.List;
import java.util.Map;

/**
 * What one verified token says about its caller, read through the configured claim paths: LiteLLM's
 * {@code JWTHandler} getters, evaluated once per request.
 *
 * <p>Absent values are {@code null} (single values) or empty (lists); blank strings count as absent.
 *
 * @param teamId      the team the token names, else {@code team_id_default} ({@code get_team_id})
 * @param teamIdClaim the team id from the token itself, without the default
 * @param teamIds     the token's list of teams ({@code get_team_ids_from_jwt}); a string claim gives an empty list
 * @param teamIdsOverage whether the token says its team list was cut short: {@code team_ids_overage: true}, or the
 *                    {@code team_ids_jwt_field} name plus {@code _overage}, as Claimgate's Keycloak mapper writes
 *                    past its {@code teams.max}. The token's teams are then unknown
 * @param teamAlias   the team alias the token names
 * @param userIdClaim the user id from {@code user_id_jwt_field} alone, as role resolution reads it
 * @param userId      the user id, falling back to the e-mail as LiteLLM's {@code get_user_info} does, but only to an
 *                    e-mail that {@code emailTrusted}
 * @param email       the e-mail from {@code user_email_jwt_field}, as the token says it
 * @param emailTrusted whether that e-mail identifies the caller: the token's {@code email_verified} is true, or
 *                    {@code trust_unverified_email} is set
 * @param userRoles   the roles from {@code user_roles_jwt_field}
 * @param roles       the roles from {@code roles_jwt_field}
 * @param scopes      the {@code scope} claim's scopes followed by the {@code scp} claim's
 * @param orgId       the organization id
 * @param orgAlias    the organization alias
 * @param endUserId   the end user (LiteLLM's customer)
 * @param objectId    the value of {@code object_id_jwt_field}
 * @param claims      the raw claims, for a custom validator
 */
public record TokenClaims(String teamId, String teamIdClaim, List<String> teamIds, boolean teamIdsOverage,
                          String teamAlias, String userIdClaim, String userId, String email, boolean emailTrusted,
                          List<String> userRoles,
                          List<String> roles, List<String> scopes, String orgId, String orgAlias, String endUserId,
                          String objectId, Map<String, Object> claims) {

    public TokenClaims {
        teamIds = teamIds == null ? List.of() : List.copyOf(teamIds);
        userRoles = userRoles == null ? List.of() : List.copyOf(userRoles);
        roles = roles == null ? List.of() : List.copyOf(roles);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        claims = claims == null ? Map.of() : claims;
    }

    /** The e-mail when it identifies the caller ({@link #emailTrusted()}), else {@code null}. */
    public String trustedEmail() {
        return emailTrusted ? email : null;
    }

    /** Whether the token carries this scope in {@code scope} or {@code scp}. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    @Override
    public String toString() {
        // Claims can hold personal data; name only what identifies the caller for a log line.
        return "TokenClaims[team=" + teamId + ", teams=" + teamIds + ", user=" + userId + ", org=" + orgId
                + ", roles=" + roles + ", scopes=" + scopes + "]";
    }
}
