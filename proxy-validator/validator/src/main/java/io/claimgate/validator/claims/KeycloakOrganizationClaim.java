package io.claimgate.validator.claims;

import io.claimgate.validator.AuthException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Keycloak's own {@code organization} claim ({@code oidc-organization-membership-mapper}) read where
 * {@code org_id_jwt_field} points at it. Keycloak writes it in three shapes:
 *
 * <ul>
 *   <li>a list of aliases, {@code ["acme"]} (the default);</li>
 *   <li>a map of alias to attributes, {@code {"acme": {"region": ["eu"]}}} ({@code addOrganizationAttributes});</li>
 *   <li>the same map with the organization's id, {@code {"acme": {"id": "42f0…"}}} ({@code addOrganizationId});</li>
 * </ul>
 * and, with the mapper's "multivalued" off, a single alias as a string, which {@code org_id_jwt_field} already reads as
 * an id (as it reads any string).
 *
 * <p>One organization in the claim is the token's organization: by its id when the map carries one, else by its alias
 * (looked up as {@code org_alias_jwt_field} looks one up: {@code organization_alias}, 404 when absent, 403 when two
 * organizations share it). Keycloak puts one organization there when the client asked for one
 * ({@code scope=organization:acme}) or the user is a member of one only.
 *
 * <p>Several organizations name none in particular. Picking one would apply the wrong organization's budget and taking
 * none would skip every organization's, so the token is refused with 403 {@code org_claim_ambiguous}: the client asks
 * Keycloak for one ({@code organization:<alias>}). An empty list names no organization, as an absent claim does.
 */
final class KeycloakOrganizationClaim {

    /** The key of the organization's id inside a map entry ({@code addOrganizationId}). */
    static final String ID = "id";

    /**
     * The organization a token names through {@code org_id_jwt_field} and {@code org_alias_jwt_field}.
     *
     * @param id    the organization id, or {@code null}
     * @param alias the organization alias, or {@code null}
     */
    record Organization(String id, String alias) {
    }

    private KeycloakOrganizationClaim() {
    }

    /**
     * Resolves the organization from what {@code org_id_jwt_field} points at.
     *
     * @param orgIdValue the raw value at {@code org_id_jwt_field}, or {@code null}
     * @param orgIdText  that value read as a single id (a string or number), or {@code null}
     * @param aliasText  the value of {@code org_alias_jwt_field}, or {@code null}
     * @throws AuthException 403 when the claim names several organizations, or names one by alias while
     *                       {@code org_alias_jwt_field} names another
     */
    static Organization resolve(Object orgIdValue, String orgIdText, String aliasText) {
        if (orgIdText != null || orgIdValue == null) {
            return new Organization(orgIdText, aliasText);
        }
        List<Organization> named = organizations(orgIdValue);
        if (named == null || named.isEmpty()) {
            return new Organization(null, aliasText);
        }
        if (named.size() > 1) {
            List<String> aliases = named.stream().map(Organization::alias).toList();
            throw AuthException.forbidden("org_claim_ambiguous", "The token's organization claim names "
                    + named.size() + " organizations " + aliases + ", so which one this request is for is unknown. "
                    + "Request a token for one organization (scope organization:<alias>).");
        }
        Organization only = named.get(0);
        if (only.id() != null) {
            return new Organization(only.id(), aliasText);
        }
        if (aliasText != null && !aliasText.equals(only.alias())) {
            throw AuthException.forbidden("org_claim_ambiguous", "The token names organization " + only.alias()
                    + " in org_id_jwt_field and " + aliasText + " in org_alias_jwt_field; they must agree.");
        }
        return new Organization(null, only.alias());
    }

    /**
     * The organizations in one of Keycloak's shapes, each with its alias and, when the map carries it, its id;
     * {@code null} when the value is in none of them (then it names no organization, as before).
     */
    private static List<Organization> organizations(Object value) {
        List<Organization> out = new ArrayList<>();
        if (value instanceof Collection<?> aliases) {
            for (Object alias : aliases) {
                if (alias instanceof String s && !s.isBlank()) {
                    out.add(new Organization(null, s));
                } else {
                    return null;
                }
            }
            return out;
        }
        if (value instanceof Map<?, ?> byAlias) {
            for (Map.Entry<?, ?> entry : byAlias.entrySet()) {
                // Keycloak's values are attribute maps; any other map ({"id": "x"}) is not its claim.
                if (!(entry.getKey() instanceof String alias) || alias.isBlank()
                        || !(entry.getValue() instanceof Map<?, ?> attributes)) {
                    return null;
                }
                Object id = attributes.get(ID);
                out.add(new Organization(id instanceof String s && !s.isBlank() ? s : null, alias));
            }
            return out;
        }
        return null;
    }
}
