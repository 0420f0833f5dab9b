package io.claimgate.validator.access;

import java.util.Map;

/**
 * An operator's extra check on a verified token's claims: the Java counterpart of LiteLLM's {@code custom_validate}.
 * A {@code false} answer or any exception refuses the request with 403 {@code Invalid JWT token}.
 */
@FunctionalInterface
public interface CustomValidator {

    /** Whether the token is acceptable; must be thread-safe and quick. */
    boolean isValid(Map<String, Object> claims);
}
