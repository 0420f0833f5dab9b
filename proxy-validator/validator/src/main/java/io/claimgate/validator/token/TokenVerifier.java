package io.claimgate.validator.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import io.claimgate.model.ClaimNames;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.TokenRules;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies a bearer token the way LiteLLM's {@code auth_jwt} does, and stricter where LiteLLM is loose.
 *
 * <p>Two stages, each callable: {@link #verifySignature(String)} (hygiene, header, key choice, signature) and
 * {@link #verify(String)}, which adds the claim checks (lifetime, audience, issuer, token type). Every refusal is an
 * {@link AuthException}: 401 with a stable {@link Rejection reason}, or 503 when no key is available at all.
 *
 * <p>Thread-safe. The per-token path parses the token once, reuses one prepared verifier per key and logs nothing
 * on success. An optional JCA {@link Provider} is handed to the verifiers only (never installed JVM-wide).
 */
public final class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    /** Longer {@code kid}s are not ids but payloads; no IdP issues them. */
    static final int MAX_KID_LENGTH = 256;

    /** The algorithms we verify, each with a ready header: the verifiers only read its {@code alg}. */
    private static final Map<String, JWSHeader> HEADERS = headers(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA);

    /**
     * Header parameters that would let the token choose its own key or bend verification: we never take keys from
     * the token, and we understand no critical extension.
     */
    private static final List<String> FORBIDDEN_HEADERS = List.of("crit", "jwk", "jku", "x5u", "x5c");

    private final KeySource keySource;
    private final Provider provider;
    private final Clock clock;
    private final int maxTokenLength;
    private final long leewayMillis;
    private final Set<String> audiences;
    private final String issuer;
    private final Set<String> acceptedTokenTypes;
    /** Prepared verifiers by key identity; weak keys let replaced key sets go. */
    private final Cache<JWK, VerificationKey> preparedKeys = Caffeine.newBuilder().weakKeys()
            .executor(Runnable::run).build();

    /** A verifier using the JDK's default crypto providers and the system clock. */
    public TokenVerifier(TokenRules settings, KeySource keySource) {
        this(settings, keySource, null, Clock.systemUTC());
    }

    /**
     * A verifier whose signature checks use {@code provider} (e.g. Amazon Corretto Crypto Provider); {@code null}
     * means the JDK default.
     */
    public TokenVerifier(TokenRules settings, KeySource keySource, Provider provider) {
        this(settings, keySource, provider, Clock.systemUTC());
    }

    /** A verifier with an explicit clock, for tests and replays. */
    public TokenVerifier(TokenRules settings, KeySource keySource, Provider provider, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.keySource = Objects.requireNonNull(keySource, "keySource");
        this.provider = provider;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxTokenLength = settings.maxTokenLength();
        this.leewayMillis = settings.leeway().toMillis();
        this.audiences = Set.copyOf(settings.audiences());
        this.issuer = settings.issuer();
        this.acceptedTokenTypes = Set.copyOf(settings.acceptedTokenTypes());
        if (audiences.isEmpty() && issuer == null) {
            LOG.warn("JWT audience and issuer are both unset: any token signed by a trusted key is accepted, "
                    + "including tokens the IdP issued to other clients. Set {} and/or {}.",
                    JwtAuthSettings.ENV_AUDIENCE, JwtAuthSettings.ENV_ISSUER);
        }
    }

    /**
     * Verifies the token completely: signature stage, then claims.
     *
     * @param token the bearer token without the {@code Bearer } prefix
     * @return the verified claims
     * @throws AuthException 401 for any bad token ({@code Token Expired} when only expired), 503 without keys
     */
    public VerifiedToken verify(String token) {
        try {
            return verifyChecked(token);
        } catch (AuthException | Blocking.WouldBlockException e) {
            // A refusal, or a key fetch this thread may not wait for: neither is a hostile token's failure.
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw unexpected(e);
        }
    }

    private VerifiedToken verifyChecked(String token) {
        CompactToken compact = admit(token);
        SignedToken signed = checkSignature(compact);
        Map<String, Object> claims;
        try {
            claims = BoundedJson.readObject(signed.payload());
        } catch (IOException e) {
            throw reject(Rejection.MALFORMED_TOKEN, "token claims are not a JSON object");
        }
        long expiresAt = checkClaims(claims);
        return new VerifiedToken(Collections.unmodifiableMap(claims), sha256Hex(compact.bytes()), expiresAt,
                signed.keyId());
    }

    /**
     * The signature stage alone, exactly as {@link #verify(String)} runs it: input hygiene, header checks, key
     * choice and signature. The payload is not read; use it where the payload is not a JWT claims set (test
     * vectors) or where claims are checked elsewhere.
     *
     * @throws AuthException 401 for any bad token, 503 without keys
     */
    public SignedToken verifySignature(String token) {
        try {
            return checkSignature(admit(token));
        } catch (AuthException | Blocking.WouldBlockException e) {
            // A refusal, or a key fetch this thread may not wait for: neither is a hostile token's failure.
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw unexpected(e);
        }
    }

    /** Fail closed: whatever a library throws on a hostile token is a refusal, never a 500. */
    private static AuthException unexpected(Throwable e) {
        return AuthException.unauthorized(Rejection.MALFORMED_TOKEN, Rejection.message("token could not be verified"),
                e);
    }

    /** Hygiene before any parsing: presence, size, shape. */
    private CompactToken admit(String token) {
        if (token == null || token.isEmpty()) {
            throw reject(Rejection.MISSING_TOKEN, "no token");
        }
        if (token.length() > maxTokenLength) {
            throw reject(Rejection.TOKEN_TOO_LARGE, "token longer than " + maxTokenLength + " characters");
        }
        return CompactToken.parse(token);
    }

    private SignedToken checkSignature(CompactToken compact) {
        Map<String, Object> header;
        try {
            header = BoundedJson.readObject(compact.header());
        } catch (IOException e) {
            throw reject(Rejection.MALFORMED_TOKEN, "token header is not a JSON object");
        }
        JWSHeader algorithmHeader = header.get("alg") instanceof String alg ? HEADERS.get(alg) : null;
        if (algorithmHeader == null) {
            throw reject(Rejection.UNSUPPORTED_ALG, "algorithm not allowed; use RS256/384/512, PS256/384/512, "
                    + "ES256/384/512 or EdDSA");
        }
        for (String name : FORBIDDEN_HEADERS) {
            if (header.containsKey(name)) {
                throw reject(Rejection.FORBIDDEN_HEADER, "token header '" + name + "' is not accepted");
            }
        }
        String kid = kid(header);
        List<JWK> candidates = keySource.keysFor(kid);
        if (candidates.isEmpty()) {
            throw reject(Rejection.UNKNOWN_KID, kid == null
                    ? "token has no kid and the key source has more than one key"
                    : "no trusted key has the token's kid");
        }
        JWSAlgorithm algorithm = algorithmHeader.getAlgorithm();
        VerificationKey key = null;
        String unusable = null;
        for (JWK candidate : candidates) {
            VerificationKey prepared = preparedKeys.get(candidate, k -> VerificationKey.prepare(k, provider));
            if (prepared.fits(algorithm)) {
                key = prepared;
                break;
            }
            if (!prepared.usable()) {
                unusable = prepared.unusableReason();
            }
        }
        if (key == null) {
            throw unusable != null
                    ? reject(Rejection.UNUSABLE_KEY, "the signing key cannot verify tokens (" + unusable + ")")
                    : reject(Rejection.KEY_ALG_MISMATCH, "the signing key does not allow algorithm "
                            + algorithm.getName());
        }
        byte[] signature = compact.signature();
        if (!key.verify(algorithmHeader, compact.signingInput(), compact.signatureSegment(), signature)) {
            throw reject(Rejection.BAD_SIGNATURE, "signature verification failed");
        }
        return new SignedToken(algorithm.getName(), key.keyId() != null ? key.keyId() : kid, header,
                compact.payload());
    }

    /** The {@code kid}, or {@code null}; anything but a short printable string is refused before any lookup. */
    private static String kid(Map<String, Object> header) {
        Object value = header.get("kid");
        if (value == null) {
            if (header.containsKey("kid")) {
                throw reject(Rejection.INVALID_KID, "kid must be a string");
            }
            return null;
        }
        if (!(value instanceof String kid) || kid.isEmpty() || kid.length() > MAX_KID_LENGTH) {
            throw reject(Rejection.INVALID_KID, "kid must be a string of 1 to " + MAX_KID_LENGTH + " characters");
        }
        for (int i = 0; i < kid.length(); i++) {
            char c = kid.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw reject(Rejection.INVALID_KID, "kid must be printable ASCII");
            }
        }
        return kid;
    }

    /**
     * Checks lifetime, issuer, audience and type, in pyjwt's order (nbf, exp, iss, aud) with LiteLLM's leeway.
     *
     * @return {@code exp} in epoch seconds
     */
    private long checkClaims(Map<String, Object> claims) {
        Object exp = claims.get("exp");
        if (exp == null) {
            throw reject(Rejection.MISSING_EXP, "token has no exp claim");
        }
        double expSeconds = numericDate(exp, "exp");
        Object nbf = claims.get("nbf");
        Object iat = claims.get("iat");
        if (iat != null) {
            numericDate(iat, "iat");
        }
        double now = clock.millis() / 1000.0;
        double leeway = leewayMillis / 1000.0;
        if (nbf != null && numericDate(nbf, "nbf") > now + leeway) {
            throw reject(Rejection.NOT_YET_VALID, "token is not yet valid (nbf)");
        }
        if (expSeconds <= now - leeway) {
            throw AuthException.expired(Rejection.TOKEN_EXPIRED, Rejection.TOKEN_EXPIRED_MESSAGE);
        }
        if (issuer != null && !issuer.equals(claims.get("iss"))) {
            throw reject(Rejection.ISSUER_MISMATCH, "token issuer is not the configured issuer");
        }
        if (!audiences.isEmpty() && !audienceMatches(claims.get("aud"))) {
            throw reject(Rejection.AUDIENCE_MISMATCH, "token audience does not include an accepted audience");
        }
        Object typ = claims.get(ClaimNames.TYP);
        // Absent typ: many IdPs do not write it. Present: Keycloak's Bearer/ID/Refresh, only accepted types pass.
        if (typ != null && !(typ instanceof String type && acceptedTokenTypes.contains(type))) {
            throw reject(Rejection.WRONG_TOKEN_TYPE, "token type is not accepted (an access token is required)");
        }
        return expSeconds >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) expSeconds;
    }

    private boolean audienceMatches(Object aud) {
        if (aud instanceof String single) {
            return audiences.contains(single);
        }
        if (aud instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof String s && audiences.contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double numericDate(Object value, String claim) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw reject(Rejection.MALFORMED_TOKEN, claim + " claim is not a number");
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static AuthException reject(String reason, String why) {
        return AuthException.unauthorized(reason, Rejection.message(why));
    }

    private static Map<String, JWSHeader> headers(JWSAlgorithm... algorithms) {
        Map<String, JWSHeader> headers = new HashMap<>();
        for (JWSAlgorithm algorithm : algorithms) {
            headers.put(algorithm.getName(), new JWSHeader(algorithm));
        }
        return Map.copyOf(headers);
    }
}
