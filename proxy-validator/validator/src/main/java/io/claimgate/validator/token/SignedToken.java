package io.claimgate.validator.token;

import java.util.Map;

/**
 * The result of the signature stage: a token whose hygiene, header, key choice and signature were verified, but
 * whose payload has not been read as claims.
 *
 * @param algorithm the JWS algorithm, e.g. {@code RS256}
 * @param keyId     the {@code kid} of the key that verified it (the token's, or the single key's), or {@code null}
 * @param header    the decoded JOSE header
 * @param payload   the decoded payload bytes; not copied, do not modify
 */
public record SignedToken(String algorithm, String keyId, Map<String, Object> header, byte[] payload) {

    @Override
    public String toString() {
        return "SignedToken[alg=" + algorithm + ", kid=" + keyId + ", payload=" + payload.length + " bytes]";
    }
}
