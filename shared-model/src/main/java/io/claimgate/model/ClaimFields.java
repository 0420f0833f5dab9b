package io.claimgate.model;

import java.util.Map;

/**
 * Where in the token each identity is read: the claim reading stage's settings. Every field is a claim path (dots
 * for nesting) or {@code null} when unset.
 *
 * @param teamIdJwtField       {@code team_id_jwt_field}: the team id; when set, a team is required
 * @param teamIdsJwtField      {@code team_ids_jwt_field}: the list of team ids
 * @param teamAliasJwtField    {@code team_alias_jwt_field}: a team alias, looked up in the database
 * @param teamIdDefault        {@code team_id_default}: the team of a token that names none (a value, not a path)
 * @param orgIdJwtField        {@code org_id_jwt_field}: the organization id
 * @param orgAliasJwtField     {@code org_alias_jwt_field}: an organization alias
 * @param userIdJwtField       {@code user_id_jwt_field}: the user id
 * @param userEmailJwtField    {@code user_email_jwt_field}: the user's e-mail
 * @param userRolesJwtField    {@code user_roles_jwt_field}: the user's roles, matched against
 *                             {@code user_allowed_roles}
 * @param endUserIdJwtField    {@code end_user_id_jwt_field}: the end user (LiteLLM's customer)
 * @param rolesJwtField        {@code roles_jwt_field}: the roles {@code role_mappings} and the role map read
 * @param objectIdJwtField     {@code object_id_jwt_field}: the id a mapped role's object takes (team or user id)
 * @param trustUnverifiedEmail Claimgate's {@code trust_unverified_email}: use an e-mail the token's
 *                             {@code email_verified} does not vouch for, as LiteLLM does. Default false: an e-mail
 *                             the identity provider has not verified identifies nobody.
 * @param teamClaimFallback    {@code team_claim_fallback}: a team id claim (or {@code team_id_default}) naming no
 *                             team in the database is not refused but left to the user's only database team, as a
 *                             token naming no team is
 * @param fallbackToDbTeams    {@code fallback_to_db_teams}: a token without any team claim (id, list or alias) is
 *                             attributed to the first of the user's database teams ({@code LiteLLM_UserTable.teams})
 *                             that may use the request's models and route; {@code x-litellm-team-id} must then name
 *                             one of those teams
 */
public record ClaimFields(String teamIdJwtField, String teamIdsJwtField, String teamAliasJwtField,
                          String teamIdDefault, String orgIdJwtField, String orgAliasJwtField, String userIdJwtField,
                          String userEmailJwtField, String userRolesJwtField, String endUserIdJwtField,
                          String rolesJwtField, String objectIdJwtField, boolean trustUnverifiedEmail,
                          boolean teamClaimFallback, boolean fallbackToDbTeams) {

    static ClaimFields read(SettingsBlock block) {
        return new ClaimFields(block.string("team_id_jwt_field"), block.string("team_ids_jwt_field"),
                block.string("team_alias_jwt_field"), block.string("team_id_default"),
                block.string("org_id_jwt_field"), block.string("org_alias_jwt_field"),
                block.string("user_id_jwt_field"), block.string("user_email_jwt_field"),
                block.string("user_roles_jwt_field"), block.string("end_user_id_jwt_field"),
                block.string("roles_jwt_field"), block.string("object_id_jwt_field"),
                block.bool("trust_unverified_email"), block.bool("team_claim_fallback"),
                block.bool("fallback_to_db_teams"));
    }

    /**
     * These fields with some claim paths replaced, by LiteLLM key name (an {@code issuers} entry's fields); the
     * names are those of {@link IssuerSettings#CLAIM_FIELD_KEYS}.
     */
    public ClaimFields withPaths(Map<String, String> paths) {
        return new ClaimFields(paths.getOrDefault("team_id_jwt_field", teamIdJwtField),
                paths.getOrDefault("team_ids_jwt_field", teamIdsJwtField),
                paths.getOrDefault("team_alias_jwt_field", teamAliasJwtField), teamIdDefault,
                paths.getOrDefault("org_id_jwt_field", orgIdJwtField),
                paths.getOrDefault("org_alias_jwt_field", orgAliasJwtField),
                paths.getOrDefault("user_id_jwt_field", userIdJwtField),
                paths.getOrDefault("user_email_jwt_field", userEmailJwtField),
                paths.getOrDefault("user_roles_jwt_field", userRolesJwtField),
                paths.getOrDefault("end_user_id_jwt_field", endUserIdJwtField),
                paths.getOrDefault("roles_jwt_field", rolesJwtField),
                paths.getOrDefault("object_id_jwt_field", objectIdJwtField), trustUnverifiedEmail, teamClaimFallback,
                fallbackToDbTeams);
    }
}
