package io.claimgate.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a token must be to be verified: the token check stage's settings.
 *
 * @param issuer             {@code JWT_ISSUER}: the exact expected issuer, or {@code null} for not checked
 * @param audiences          {@code JWT_AUDIENCE}: accepted audiences; empty means the audience is not checked
 * @param leeway             {@code leeway}: clock skew allowed on {@code exp} and {@code nbf}; 0 as in LiteLLM
 * @param acceptedTokenTypes Claimgate's {@code accepted_token_types}: allowed values of the {@code typ} claim
 * @param maxTokenLength     Claimgate's {@code max_token_length}: longer tokens are refused before parsing
 */
public record TokenRules(String issuer, List<String> audiences, Duration leeway, List<String> acceptedTokenTypes,
                         int maxTokenLength) {

    public static final List<String> DEFAULT_ACCEPTED_TOKEN_TYPES = List.of("Bearer");
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

    public TokenRules {
        issuer = issuer == null || issuer.isBlank() ? null : issuer;
        audiences = List.copyOf(Objects.requireNonNull(audiences, JwtAuthSettings.ENV_AUDIENCE));
        SettingChecks.require(leeway != null && !leeway.isNegative() && leeway.compareTo(Duration.ofMinutes(5)) <= 0,
                "leeway", "must be between 0 and 300 seconds");
        acceptedTokenTypes = SettingChecks.requireList(acceptedTokenTypes, "accepted_token_types");
        SettingChecks.require(!acceptedTokenTypes.isEmpty(), "accepted_token_types",
                "must name at least one token type, e.g. Bearer");
        SettingChecks.require(maxTokenLength >= 512 && maxTokenLength <= 1024 * 1024, "max_token_length",
                "must be between 512 and 1048576 characters");
    }

    static TokenRules read(SettingsBlock block) {
        return new TokenRules(null, List.of(), block.seconds("leeway", Duration.ZERO),
                block.strings("accepted_token_types", DEFAULT_ACCEPTED_TOKEN_TYPES),
                block.number("max_token_length", DEFAULT_MAX_TOKEN_LENGTH));
    }

    /** These rules with another expected issuer and audiences. */
    public TokenRules withIssuerAndAudiences(String newIssuer, List<String> newAudiences) {
        return new TokenRules(newIssuer, newAudiences, leeway, acceptedTokenTypes, maxTokenLength);
    }
}
