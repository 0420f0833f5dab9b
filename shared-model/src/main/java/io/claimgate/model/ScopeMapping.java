package io.claimgate.model;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code litellm_jwtauth.scope_mappings}: what a token scope allows when
 * {@code enforce_scope_based_access} is on.
 *
 * @param scope  the scope as the token carries it
 * @param models the models it allows
 * @param routes the routes (or route groups) it allows
 */
public record ScopeMapping(String scope, List<String> models, List<String> routes) {

    public ScopeMapping {
        Objects.requireNonNull(scope, "scope");
        models = models == null ? List.of() : List.copyOf(models);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
