package io.claimgate.keycloak;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides a token's space-separated {@code scope}: Keycloak's scopes, the admin scope exactly when the user holds the
 * admin role, then the scopes from {@code llm_scopes} attributes.
 *
 * <p>The admin scope comes from the admin role alone. Attributes are written by many hands (help-desk admins with
 * manage-users, delegated group admins, LDAP and identity-provider mappers, sometimes the user), so an attribute value
 * naming the admin scope is ignored, and the admin scope is removed from Keycloak's own scopes for a non-admin, since a
 * client scope of that name could put it there. Attribute values that are not single RFC 6749 scope tokens are dropped
 * rather than split: {@code "a litellm_proxy_admin"} must not smuggle a second scope into the string.
 *
 * <p>Idempotent, because token introspection runs the mapper again on a token whose scope already holds its result.
 */
public final class ScopeMerger {

    /** RFC 6749, section 3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private ScopeMerger() {
    }

    /**
     * The scope of a token the mapper writes its claims into: {@code existing} (may be null or blank) without the
     * admin scope unless {@code admin}, then the admin scope if {@code admin}, then each valid attribute scope; values
     * already present keep their place, nothing appears twice.
     *
     * @param adminScope the configured admin scope, a valid scope token
     * @param admin whether the user holds the admin role
     * @param attributeScopes values of the scopes attribute on the user and the teams, in order
     */
    public static String merge(String existing, String adminScope, boolean admin,
                               Collection<String> attributeScopes) {
        Set<String> scopes = withoutAdminScope(existing, adminScope, admin);
        if (admin) {
            scopes.add(adminScope);
        }
        attributeScopes.stream()
                .filter(ScopeMerger::isScopeToken)
                .filter(scope -> !scope.equals(adminScope))
                .forEach(scopes::add);
        return String.join(" ", scopes);
    }

    /**
     * The scope of a token the mapper writes no claims into (its include switch is off, or the client uses lightweight
     * tokens): {@code existing} with the admin scope removed unless {@code admin}, nothing added.
     */
    public static String withhold(String existing, String adminScope, boolean admin) {
        return String.join(" ", withoutAdminScope(existing, adminScope, admin));
    }

    /** Whether a value is one RFC 6749 scope token: printable ASCII, no space, no {@code "} and no {@code \}. */
    public static boolean isScopeToken(String value) {
        return value != null && SCOPE_TOKEN.matcher(value).matches();
    }

    private static Set<String> withoutAdminScope(String existing, String adminScope, boolean admin) {
        Set<String> scopes = new LinkedHashSet<>();
        if (existing != null) {
            for (String scope : existing.trim().split("\\s+")) {
                if (!scope.isEmpty() && (admin || !scope.equals(adminScope))) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }
}
