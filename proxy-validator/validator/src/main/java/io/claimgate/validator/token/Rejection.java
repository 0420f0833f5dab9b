package io.claimgate.validator.token;

/**
 * The stable reason labels of the token stage, as found in {@link io.claimgate.validator.AuthException#reason()}.
 *
 * <p>One list, so that metrics, logs and tests name a refusal the same way.
 */
public final class Rejection {

    public static final String MISSING_TOKEN = "missing_token";
    public static final String TOKEN_TOO_LARGE = "token_too_large";
    public static final String MALFORMED_TOKEN = "malformed_token";
    public static final String UNSUPPORTED_ALG = "unsupported_alg";
    public static final String FORBIDDEN_HEADER = "forbidden_header";
    public static final String INVALID_KID = "invalid_kid";
    public static final String UNKNOWN_KID = "unknown_kid";
    public static final String KEY_ALG_MISMATCH = "key_alg_mismatch";
    public static final String UNUSABLE_KEY = "unusable_key";
    public static final String BAD_SIGNATURE = "bad_signature";
    public static final String MISSING_EXP = "missing_exp";
    public static final String TOKEN_EXPIRED = "token_expired";
    public static final String NOT_YET_VALID = "not_yet_valid";
    public static final String AUDIENCE_MISMATCH = "audience_mismatch";
    public static final String ISSUER_MISMATCH = "issuer_mismatch";
    public static final String WRONG_TOKEN_TYPE = "wrong_token_type";
    /** With {@code issuers}: the token's {@code iss} names no configured issuer (and no global key source is set). */
    public static final String UNKNOWN_ISSUER = "unknown_issuer";
    /** With {@code issuers}: the token's {@code iss} is not a string of sane length. */
    public static final String INVALID_ISSUER = "invalid_issuer";
    /** 503: no key source could provide any key. */
    public static final String KEYS_UNAVAILABLE = "keys_unavailable";

    /** LiteLLM's message for an expired token, kept word for word for clients that match on it. */
    public static final String TOKEN_EXPIRED_MESSAGE = "Token Expired";

    private Rejection() {
    }

    /** LiteLLM's message shape for every other refusal; {@code why} must never contain token content. */
    static String message(String why) {
        return "Validation fails: " + why;
    }
}
