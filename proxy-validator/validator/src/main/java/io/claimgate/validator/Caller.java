package io.claimgate.validator;

import io.claimgate.model.AuthResult;
import java.util.Optional;

/**
 * The first half of a decision: the credential is valid and may call the route. {@link Authenticator#identify} makes
 * one from what a request says before its body is read; {@link Authenticator#authorize} completes it with what the
 * body names (models, end user). Only the authenticator that made a caller reads its state.
 */
public interface Caller {

    /**
     * The final answer when nothing the body says can change it: a public route, or a proxy admin on an admin route
     * whose models neither {@code role_permissions} nor {@code scope_mappings} limit (LiteLLM skips every object
     * check for admins). Empty when the body's models, team and end user still decide.
     */
    Optional<AuthResult> decided();

    /** A caller whose request is already decided. */
    static Caller decided(AuthResult result) {
        Optional<AuthResult> decision = Optional.of(result);
        return () -> decision;
    }
}
