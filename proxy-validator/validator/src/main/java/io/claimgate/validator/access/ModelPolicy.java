package io.claimgate.validator.access;

import io.claimgate.model.AccessRules;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.model.ScopeMapping;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a verified token may use a model: the checks of LiteLLM's {@code auth_builder} that only the request body
 * decides, after {@link RoutePolicy} allowed the route. Pure, thread-safe, built once.
 *
 * <ol>
 *   <li>{@code enforce_rbac}: the models of {@code role_permissions} (first entry for the role);</li>
 *   <li>{@code enforce_scope_based_access}: one of the token's {@code scope_mappings} must allow the model.</li>
 * </ol>
 * They apply to proxy admins too, which is why an admin is only decided before the body when
 * {@link #limitsModels} says nothing here can refuse it.
 */
public final class ModelPolicy {

    private final boolean enforceRbac;
    private final Map<ProxyRole, List<String>> roleModels;
    private final List<ScopeModels> scopeModels;

    public ModelPolicy(AccessRules settings) {
        Objects.requireNonNull(settings, "settings");
        enforceRbac = settings.enforceRbac();
        Map<ProxyRole, List<String>> byRole = new EnumMap<>(ProxyRole.class);
        Set<ProxyRole> seen = EnumSet.noneOf(ProxyRole.class);
        for (RolePermission permission : settings.rolePermissions()) {
            // LiteLLM's get_role_based_permissions returns the first entry for a role.
            if (seen.add(permission.role()) && permission.models() != null) {
                byRole.put(permission.role(), permission.models());
            }
        }
        roleModels = byRole;
        List<ScopeModels> rules = new ArrayList<>();
        if (settings.enforceScopeBasedAccess()) {
            for (ScopeMapping mapping : settings.scopeMappings()) {
                rules.add(new ScopeModels(mapping.scope(), ModelAccess.listed(mapping.models())));
            }
        }
        scopeModels = List.copyOf(rules);
    }

    /** Whether some model could be refused to this caller here; when not, no model needs checking. */
    public boolean limitsModels(RoleResolution role) {
        return !scopeModels.isEmpty() || enforceRbac && role != null && roleModels.containsKey(role.role());
    }

    /**
     * Decides one model.
     *
     * @param claims the token's claims
     * @param role   the token's role, or {@code null} when none (only possible without {@code enforce_rbac})
     * @param model  a model the request may use, never {@code null}
     * @throws AuthException 403 when the model is not allowed
     */
    public void authorize(TokenClaims claims, RoleResolution role, String model) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(model, "model");
        List<String> allowed = enforceRbac && role != null ? roleModels.get(role.role()) : null;
        if (allowed != null && !allowed.contains(model)) {
            throw AuthException.forbidden(ErrorType.AUTH_ERROR, "rbac_model_not_allowed",
                    Messages.modelAccessDenied(model), "model", null);
        }
        if (!scopeModels.isEmpty() && !scopesAllow(claims, model)) {
            throw AuthException.forbidden(ErrorType.AUTH_ERROR, "scope_model_not_allowed",
                    Messages.modelAccessDenied(model), "model", null);
        }
    }

    private boolean scopesAllow(TokenClaims claims, String model) {
        for (ScopeModels rule : scopeModels) {
            if (claims.hasScope(rule.scope) && rule.models.allows(model)) {
                return true;
            }
        }
        return false;
    }

    /** The models one {@code scope_mappings} entry allows. */
    private record ScopeModels(String scope, ModelAccess models) {
    }
}
