package io.claimgate.model;

/**
 * The claim names that Claimgate's Keycloak mapper writes and the validator reads by default.
 *
 * <p>One list, shared by both halves, so that a renamed claim cannot silently break the contract.
 */
public final class ClaimNames {

    /** The active team: a single id. */
    public static final String TEAM_ID = "team_id";
    /** All of the user's teams: a sorted list of ids. */
    public static final String TEAM_IDS = "team_ids";
    /** Written instead of {@link #TEAM_IDS} when the user has more teams than the mapper's cap. */
    public static final String TEAM_IDS_OVERAGE = "team_ids_overage";
    /** The user's effective roles: a list of names. */
    public static final String ROLES = "roles";
    /** OAuth 2.0 scopes, a space-separated string. */
    public static final String SCOPE = "scope";
    /** Microsoft Entra ID's scopes claim, a space-separated string; LiteLLM ignores it. */
    public static final String SCP = "scp";
    /** The organization of the active team. */
    public static final String ORG_ID = "org_id";
    /** Keycloak's token type claim: {@code Bearer} for access tokens, {@code ID} for ID tokens. */
    public static final String TYP = "typ";
    /** The standard e-mail claim. */
    public static final String EMAIL = "email";
    /** The standard subject claim. */
    public static final String SUB = "sub";

    /** The scope that makes a caller a proxy admin, unless {@code admin_jwt_scope} says otherwise. */
    public static final String DEFAULT_ADMIN_SCOPE = "litellm_proxy_admin";

    private ClaimNames() {
    }
}
