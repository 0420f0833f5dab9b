package io.claimgate.validator.token;

import io.claimgate.model.IssuerSettings;
import io.claimgate.validator.AuthException;

import java.io.IOException;
import java.util.Map;

/**
 * Picks which issuer verifies a token, from the token's unverified {@code iss}, before any key is chosen: LiteLLM's
 * {@code issuers}. Each issuer's verifier trusts only that issuer's keys and requires exactly that {@code iss}, which
 * the signature covers; so a token from issuer B is never verified with A's keys, and a token signed by B that claims
 * A's {@code iss} fails A's signature check.
 *
 * <p>The {@code iss} must match an entry exactly (no trailing-slash or case folding). A token whose {@code iss} is
 * absent or listed nowhere goes to the global key source ({@code JWT_PUBLIC_KEY_URL}) as in LiteLLM, or is refused
 * when there is none. An {@code iss} that is not a string of 1 to {@value IssuerSettings#MAX_ISSUER_LENGTH}
 * characters is refused: no issuer writes one, and LiteLLM would pass it on to the global path unchecked.
 *
 * <p>Thread-safe and free of I/O; the token is only decoded, never trusted, here.
 *
 * @param <T> what an issuer stands for (its verifier, claim reader and keys)
 */
public final class IssuerChoice<T> {

    private final Map<String, T> issuers;
    private final T others;
    private final int maxTokenLength;

    /**
     * @param issuers        by exact {@code iss}
     * @param others         for tokens whose {@code iss} is absent or unlisted, or {@code null} to refuse them
     * @param maxTokenLength longer tokens are refused before any decoding
     */
    public IssuerChoice(Map<String, T> issuers, T others, int maxTokenLength) {
        this.issuers = Map.copyOf(issuers);
        this.others = others;
        this.maxTokenLength = maxTokenLength;
    }

    /**
     * The issuer that verifies this token.
     *
     * @throws AuthException 401 for a token that is not a compact JWT, whose {@code iss} is not a sane string, or
     *                       whose {@code iss} names no configured issuer when there is no global key source
     */
    public T choose(String token) {
        String issuer = unverifiedIssuer(token);
        T chosen = issuer == null ? null : issuers.get(issuer);
        if (chosen != null) {
            return chosen;
        }
        if (others == null) {
            throw AuthException.unauthorized(Rejection.UNKNOWN_ISSUER, Rejection.message(issuer == null
                    ? "token has no iss claim; every configured issuer requires one"
                    : "token issuer is not a configured issuer"));
        }
        return others;
    }

    /** The {@code iss} as written in the payload, unverified; {@code null} when absent. */
    private String unverifiedIssuer(String token) {
        if (token == null || token.isEmpty()) {
            throw reject(Rejection.MISSING_TOKEN, "no token");
        }
        if (token.length() > maxTokenLength) {
            throw reject(Rejection.TOKEN_TOO_LARGE, "token longer than " + maxTokenLength + " characters");
        }
        Map<String, Object> payload;
        try {
            payload = BoundedJson.readObject(CompactToken.parse(token).payload());
        } catch (IOException | RuntimeException e) {
            if (e instanceof AuthException refusal) {
                throw refusal;
            }
            throw reject(Rejection.MALFORMED_TOKEN, "token claims are not a JSON object");
        }
        Object issuer = payload.get("iss");
        if (issuer == null) {
            return null;
        }
        if (!(issuer instanceof String text) || text.isEmpty() || text.length() > IssuerSettings.MAX_ISSUER_LENGTH) {
            throw reject(Rejection.INVALID_ISSUER, "iss claim must be a string of 1 to "
                    + IssuerSettings.MAX_ISSUER_LENGTH + " characters");
        }
        return text;
    }

    private static AuthException reject(String reason, String why) {
        return AuthException.unauthorized(reason, Rejection.message(why));
    }

}
