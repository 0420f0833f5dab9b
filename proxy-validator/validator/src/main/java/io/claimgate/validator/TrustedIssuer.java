package io.claimgate.validator;

import io.claimgate.validator.access.TeamChoice;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.token.KeySource;
import io.claimgate.validator.token.TokenVerifier;
import java.util.Objects;

/**
 * What one issuer's tokens are verified and read with: its verifier (its keys, its {@code iss}, its audience), its
 * claim fields and the team choice over them (a team claim of its own makes a team required for its tokens). With
 * {@code issuers} unset there is one, over {@code JWT_PUBLIC_KEY_URL} and the global fields.
 *
 * @param verifier the token check over this issuer's keys
 * @param claims   the claim reader over this issuer's fields
 * @param teams    the team choice over this issuer's fields
 * @param keys     this issuer's key source, asked whether a remembered token's key is still trusted
 */
record TrustedIssuer(TokenVerifier verifier, ClaimReader claims, TeamChoice teams, KeySource keys) {

    TrustedIssuer {
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(keys, "keys");
    }
}
