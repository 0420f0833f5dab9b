package io.claimgate.keycloak;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Appends scopes to a token's space-separated {@code scope}: existing values keep their order, new values follow in
 * the given order, nothing appears twice. Idempotent, because token introspection runs the mapper again on a token
 * whose scope already holds the appended values.
 */
public final class ScopeMerger {

    private ScopeMerger() {
    }

    /** {@code existing} (may be null or blank) with {@code additions} appended; values may hold several scopes. */
    public static String merge(String existing, Collection<String> additions) {
        Set<String> scopes = new LinkedHashSet<>();
        addAll(scopes, existing);
        additions.forEach(addition -> addAll(scopes, addition));
        return String.join(" ", scopes);
    }

    private static void addAll(Set<String> scopes, String value) {
        if (value == null) {
            return;
        }
        for (String scope : value.trim().split("\\s+")) {
            if (!scope.isEmpty()) {
                scopes.add(scope);
            }
        }
    }
}
