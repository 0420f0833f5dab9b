package io.claimgate.model;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code general_settings.role_permissions}: what a role may call when {@code enforce_rbac} is on.
 * The first entry for a role wins, as in LiteLLM.
 *
 * @param role   the proxy role
 * @param models the models it may call, or {@code null} for no restriction
 * @param routes the routes (or route groups) it may call, or {@code null} for no restriction
 */
public record RolePermission(ProxyRole role, List<String> models, List<String> routes) {

    public RolePermission {
        Objects.requireNonNull(role, "role");
        models = models == null ? null : List.copyOf(models);
        routes = routes == null ? null : List.copyOf(routes);
    }
}
