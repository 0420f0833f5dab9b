package io.claimgate.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The one token every benchmark verifies: a Keycloak-shaped RS256 access token, about 1.8 KB, signed with a 2048-bit
 * key, generated deterministically so that runs on different days measure the same bytes.
 *
 * <p>Variants differ only in {@code jti} (and so in signature), which lets a benchmark cycle through tokens "not seen
 * before" without changing the work done per token.
 */
public final class KeycloakTokens {

    /** Issuer of a realm on a local Keycloak, as Keycloak writes it. */
    public static final String ISSUER = "http://127.0.0.1:8080/realms/claimgate";
    /** The client the gateway accepts tokens for. */
    public static final String AUDIENCE = "litellm-proxy";
    /** Key id in the token header and the JWK set. */
    public static final String KEY_ID = "bench-rs256-2048";
    /** 2100-01-01: far enough that no run sees the token expire. */
    public static final long EXPIRES_AT = 4_102_444_800L;
    /** Issued-at, fixed so that the bytes are the same on every run. */
    public static final long ISSUED_AT = 1_764_000_000L;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keyPair;
    private final String signingInputPrefix;

    private KeycloakTokens(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.signingInputPrefix = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}") + ".";
    }

    /** The same 2048-bit key pair on every run (a seeded SHA1PRNG drives the JDK's key generator). */
    public static KeycloakTokens create() {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed("claimgate-benchmark-key".getBytes(StandardCharsets.UTF_8));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
            generator.initialize(2048, seeded);
            return new KeycloakTokens(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the benchmark key", e);
        }
    }

    /** The public half, for the verifiers under test. */
    public RSAPublicKey publicKey() {
        return (RSAPublicKey) keyPair.getPublic();
    }

    /** The public key as Keycloak publishes it in its JWK set. */
    public RSAKey jwk() {
        return new RSAKey.Builder(publicKey()).keyID(KEY_ID).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                .build();
    }

    /** The token with variant number {@code variant}; the same variant always gives the same string. */
    public String token(int variant) {
        return token(variant, new Signer(this, null));
    }

    /**
     * {@code count} distinct tokens, signed through {@code signer} (pass a fast provider's signer to keep setup short).
     */
    public String[] tokens(int count, Signer signer) {
        String[] tokens = new String[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = token(i, signer);
        }
        return tokens;
    }

    /** The JSON payload of variant {@code variant}. */
    public static String payload(int variant) {
        String jti = new UUID(0x6f1c2d3e4a5b6c7dL, variant).toString();
        return "{"
                + "\"exp\":" + EXPIRES_AT + ","
                + "\"iat\":" + ISSUED_AT + ","
                + "\"auth_time\":" + ISSUED_AT + ","
                + "\"jti\":\"onrtac:" + jti + "\","
                + "\"iss\":\"" + ISSUER + "\","
                + "\"aud\":[\"" + AUDIENCE + "\",\"account\"],"
                + "\"sub\":\"3f6c9a52-8d1e-4b7a-9c2f-5e8d7b6a4c31\","
                + "\"typ\":\"Bearer\","
                + "\"azp\":\"" + AUDIENCE + "\","
                + "\"sid\":\"a8e1f0c4-92b7-4d3e-b5a6-0c9d8e7f6a51\","
                + "\"acr\":\"1\","
                + "\"allowed-origins\":[\"http://127.0.0.1:4000\"],"
                + "\"realm_access\":{\"roles\":[\"offline_access\",\"uma_authorization\",\"default-roles-claimgate\","
                + "\"litellm-team-member\"]},"
                + "\"resource_access\":{\"" + AUDIENCE + "\":{\"roles\":[\"proxy_user\",\"model_user\"]},"
                + "\"account\":{\"roles\":[\"manage-account\",\"manage-account-links\",\"view-profile\"]}},"
                + "\"scope\":\"openid email profile litellm.api.consumer litellm_proxy_endpoints_access\","
                + "\"email_verified\":true,"
                + "\"name\":\"Alice Example\","
                + "\"preferred_username\":\"alice\","
                + "\"given_name\":\"Alice\","
                + "\"family_name\":\"Example\","
                + "\"email\":\"alice@example.com\","
                + "\"team_id\":\"team-ml-platform\","
                + "\"team_ids\":[\"team-ml-platform\",\"team-research\",\"team-evaluation\"],"
                + "\"roles\":[\"internal_user\",\"team-ml-platform:member\",\"team-research:viewer\"]"
                + "}";
    }

    private String token(int variant, Signer signer) {
        String signingInput = signingInputPrefix + base64Url(payload(variant));
        return signingInput + "." + BASE64URL.encodeToString(signer.sign(signingInput));
    }

    private static String base64Url(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs with SHA256withRSA through a chosen provider (the JDK's when none is given). */
    public static final class Signer {
        private final Signature signature;

        public Signer(KeycloakTokens tokens, java.security.Provider provider) {
            try {
                signature = provider == null
                        ? Signature.getInstance("SHA256withRSA")
                        : Signature.getInstance("SHA256withRSA", provider);
                signature.initSign(tokens.keyPair.getPrivate());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign benchmark tokens", e);
            }
        }

        byte[] sign(String signingInput) {
            try {
                signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign benchmark token", e);
            }
        }
    }

    /**
     * For the load test in run.sh: {@code jwks} prints the public JWK set, {@code token} the token, {@code size} its
     * length. {@code java -cp benchmarks.jar io.claimgate.benchmarks.KeycloakTokens jwks}
     */
    public static void main(String[] args) {
        KeycloakTokens tokens = create();
        String what = args.length > 0 ? args[0] : "token";
        switch (what) {
            case "jwks":
                System.out.println(new JWKSet(tokens.jwk()).toString());
                break;
            case "size":
                System.out.printf(Locale.ROOT, "%d bytes%n", tokens.token(0).length());
                break;
            default:
                System.out.println(tokens.token(0));
        }
    }
}
