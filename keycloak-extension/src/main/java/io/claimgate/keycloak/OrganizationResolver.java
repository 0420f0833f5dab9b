package io.claimgate.keycloak;

import java.util.List;
import java.util.Optional;

/**
 * Decides which of the user's Keycloak organizations a token is for: the one the user signed in through; else the one
 * the client asked for with the {@code organization:<alias>} scope; else the user's only organization. A user in
 * several organizations without such a choice gets none, because guessing would bill the wrong organization; a choice
 * naming an organization the user is not (or no longer) a member of gives none too.
 */
public final class OrganizationResolver {

    /** Keycloak's organization client scope; {@code organization:<alias>} asks for one organization. */
    static final String SCOPE = "organization";
    private static final String SCOPE_PREFIX = SCOPE + ":";
    /** {@code organization:*} asks for all organizations, which chooses none. */
    private static final String ALL = "*";

    private OrganizationResolver() {
    }

    /** The organization of this token, if one is chosen or the user has exactly one. */
    public static Optional<OrganizationMembership> organization(OrganizationContext context) {
        List<OrganizationMembership> memberships = context.memberships();
        if (context.signedInId().isPresent()) {
            String id = context.signedInId().get();
            return memberships.stream().filter(org -> org.id().equals(id)).findFirst();
        }
        List<String> requested = requestedAliases(context.grantedScopes());
        if (requested.size() > 1) {
            return Optional.empty();
        }
        if (requested.size() == 1) {
            return memberships.stream().filter(org -> org.alias().equals(requested.get(0))).findFirst();
        }
        return memberships.size() == 1 ? Optional.of(memberships.get(0)) : Optional.empty();
    }

    /** The distinct aliases of {@code organization:<alias>} scopes; {@code organization:*} names none. */
    private static List<String> requestedAliases(List<String> scopes) {
        return scopes.stream()
                .filter(scope -> scope.startsWith(SCOPE_PREFIX))
                .map(scope -> scope.substring(SCOPE_PREFIX.length()))
                .filter(alias -> !alias.isEmpty() && !alias.equals(ALL))
                .distinct()
                .toList();
    }
}
