package io.claimgate.validator.claims;

import io.claimgate.model.ClaimNames;
import io.claimgate.model.ClaimFields;
import io.claimgate.validator.AuthException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a verified token's claims the way LiteLLM's {@code JWTHandler} getters do, through paths compiled once from
 * the settings. Thread-safe and free of I/O.
 *
 * <p>Where LiteLLM would misread a value (a string of roles iterated character by character), Claimgate reads the
 * obvious meaning; {@code docs/access-control.md} lists each such place.
 */
public final class ClaimReader {

    /** The OpenID Connect claim that says the identity provider verified the e-mail. */
    static final String EMAIL_VERIFIED = "email_verified";

    private final ClaimPath teamId;
    private final String teamIdDefault;
    private final ClaimPath teamIds;
    private final ClaimPath teamIdsOverage;
    private final ClaimPath teamAlias;
    private final ClaimPath userId;
    private final ClaimPath email;
    private final ClaimPath userRoles;
    private final ClaimPath roles;
    private final ClaimPath orgId;
    private final ClaimPath orgAlias;
    private final ClaimPath endUserId;
    private final ClaimPath objectId;
    private final boolean trustUnverifiedEmail;

    public ClaimReader(ClaimFields settings) {
        Objects.requireNonNull(settings, "settings");
        teamId = ClaimPath.compileIfSet(settings.teamIdJwtField());
        teamIdDefault = blankToNull(settings.teamIdDefault());
        teamIds = ClaimPath.compileIfSet(settings.teamIdsJwtField());
        // The Keycloak mapper names its marker after the list claim: team_ids_overage next to team_ids.
        teamIdsOverage = ClaimPath.compileIfSet(settings.teamIdsJwtField() == null ? null
                : settings.teamIdsJwtField() + "_overage");
        teamAlias = ClaimPath.compileIfSet(settings.teamAliasJwtField());
        userId = ClaimPath.compileIfSet(settings.userIdJwtField());
        email = ClaimPath.compileIfSet(settings.userEmailJwtField());
        userRoles = ClaimPath.compileIfSet(settings.userRolesJwtField());
        roles = ClaimPath.compileIfSet(settings.rolesJwtField());
        orgId = ClaimPath.compileIfSet(settings.orgIdJwtField());
        orgAlias = ClaimPath.compileIfSet(settings.orgAliasJwtField());
        endUserId = ClaimPath.compileIfSet(settings.endUserIdJwtField());
        objectId = ClaimPath.compileIfSet(settings.objectIdJwtField());
        trustUnverifiedEmail = settings.trustUnverifiedEmail();
    }

    /**
     * Reads everything the access decisions need from one token's claims.
     *
     * @throws AuthException 401 when the {@code scope} or {@code scp} claim is neither a string nor a list, which
     *                       LiteLLM also refuses; 403 when {@code org_id_jwt_field} points at Keycloak's
     *                       {@code organization} claim and it names several organizations
     *                       ({@link KeycloakOrganizationClaim})
     */
    public TokenClaims read(Map<String, Object> claims) {
        Objects.requireNonNull(claims, "claims");
        String emailValue = text(email, claims);
        String userIdClaim = text(userId, claims);
        String teamIdClaim = teamIdFromToken(claims);
        boolean emailTrusted = emailValue != null && (trustUnverifiedEmail || isTrue(claims.get(EMAIL_VERIFIED)));
        KeycloakOrganizationClaim.Organization org = KeycloakOrganizationClaim.resolve(
                orgId == null ? null : orgId.read(claims), text(orgId, claims), text(orgAlias, claims));
        return new TokenClaims(
                teamIdClaim != null || (teamId != null && teamId.isPresent(claims)) ? teamIdClaim : teamIdDefault,
                teamIdClaim,
                teamIds == null ? List.of() : listOnly(teamIds.read(claims)),
                isTrue(claims.get(ClaimNames.TEAM_IDS_OVERAGE))
                        || teamIdsOverage != null && isTrue(teamIdsOverage.read(claims)),
                text(teamAlias, claims),
                userIdClaim,
                userIdClaim != null ? userIdClaim : emailTrusted ? emailValue : null,
                emailValue,
                emailTrusted,
                stringOrList(userRoles, claims),
                stringOrList(roles, claims),
                scopes(claims),
                org.id(),
                org.alias(),
                text(endUserId, claims),
                text(objectId, claims),
                claims);
    }

    /**
     * A claim that is {@code true}: JSON's true, or the string {@code "true"} that some identity providers (Amazon
     * Cognito) send for {@code email_verified}. Anything else, absence included, is false.
     */
    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || value instanceof String s && s.equalsIgnoreCase("true");
    }

    /**
     * LiteLLM's {@code get_team_id} without the default: a list gives its first element (identity providers send
     * groups as lists), an empty list gives none.
     */
    private String teamIdFromToken(Map<String, Object> claims) {
        if (teamId == null) {
            return null;
        }
        Object value = teamId.read(claims);
        if (value instanceof List<?> list) {
            return list.isEmpty() ? null : scalarText(list.get(0));
        }
        return scalarText(value);
    }

    private static List<String> scopes(Map<String, Object> claims) {
        List<String> out = new ArrayList<>();
        addScopes(out, ClaimNames.SCOPE, claims.get(ClaimNames.SCOPE));
        addScopes(out, ClaimNames.SCP, claims.get(ClaimNames.SCP));
        return out;
    }

    private static void addScopes(List<String> out, String claim, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof String s) {
            for (String scope : s.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                    out.add(scope);
                }
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (o instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        } else {
            throw AuthException.unauthorized("invalid_scope_claim", "Unmapped scope type - "
                    + value.getClass().getSimpleName() + " in claim '" + claim + "'. Supported types - list, str.");
        }
    }

    private static String text(ClaimPath path, Map<String, Object> claims) {
        return path == null ? null : scalarText(path.read(claims));
    }

    /** A string, number or boolean as text; anything else (an object, a list) names nothing. */
    private static String scalarText(Object value) {
        if (value instanceof String s) {
            return blankToNull(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return null;
    }

    /** LiteLLM reads list claims with a list default, so a string in their place reads as an empty list. */
    private static List<String> listOnly(Object value) {
        return value instanceof Collection<?> c ? texts(c) : List.of();
    }

    /** Role claims: a list, or a single role as a string. */
    private static List<String> stringOrList(ClaimPath path, Map<String, Object> claims) {
        if (path == null) {
            return List.of();
        }
        Object value = path.read(claims);
        if (value instanceof Collection<?> c) {
            return texts(c);
        }
        String single = scalarText(value);
        return single == null ? List.of() : List.of(single);
    }

    private static List<String> texts(Collection<?> values) {
        List<String> out = new ArrayList<>(values.size());
        for (Object o : values) {
            String s = scalarText(o);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
