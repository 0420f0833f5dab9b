package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.KeySourceSettings;
import io.claimgate.validator.AuthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import static io.claimgate.validator.token.TestKeys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link JwksKeySource} against a real HTTP server on 127.0.0.1, through {@link TokenVerifier}. */
class JwksKeySourceIT {

    private static final RSAKey K1 = TestKeys.rsa("k1");
    private static final RSAKey K2 = TestKeys.rsa("k2");

    private JwksServer server;
    private JwksKeySource source;

    @BeforeEach
    void startServer() throws Exception {
        server = JwksServer.start();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        server.close();
    }

    private static String jwks(RSAKey... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    private static String token(RSAKey key) {
        long now = System.currentTimeMillis() / 1000;
        return sign(key, "RS256", "{\"sub\":\"alice\",\"exp\":" + (now + 300) + "}");
    }

    private TokenVerifier verifier(Duration ttl, Duration stale, String... urls) {
        JwtAuthSettings settings = JwtAuthSettings.defaults().with(new KeySourceSettings(List.of(urls), ttl, stale));
        source = JwksKeySource.builder(settings.keySource()).attempts(1).connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(2)).build();
        return new TokenVerifier(settings.token(), source);
    }

    private static AuthException rejection(TokenVerifier verifier, String token) {
        return catchThrowableOfType(AuthException.class, () -> verifier.verify(token));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean verifies(TokenVerifier verifier, String token) {
        try {
            verifier.verify(token);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    @Test
    void newKidIsVerifiedAfterRefetchAndRemovedKidIsRefusedAfterRefresh() throws Exception {
        server.json("/certs", jwks(K1));
        // TTL long enough that the background refresh (at 2.4 s) cannot explain the second fetch.
        TokenVerifier verifier = verifier(Duration.ofSeconds(3), Duration.ofSeconds(1), server.url("/certs"));
        assertThat(verifier.verify(token(K1)).keyId()).isEqualTo("k1");

        server.json("/certs", jwks(K1, K2));
        assertThat(verifier.verify(token(K2)).keyId()).isEqualTo("k2");
        assertThat(server.hits("/certs")).isEqualTo(2);

        server.json("/certs", jwks(K2));
        await("the background refresh drops k1", () -> !verifies(verifier, token(K1)));
        assertThat(rejection(verifier, token(K1)).reason()).isEqualTo(Rejection.UNKNOWN_KID);
        assertThat(verifier.verify(token(K2)).keyId()).isEqualTo("k2");
    }

    @Test
    void backgroundRefreshKeepsKeysFreshWithoutRequestsWaiting() throws Exception {
        server.json("/certs", jwks(K1));
        TokenVerifier verifier = verifier(Duration.ofMillis(500), Duration.ofMillis(100), server.url("/certs"));
        verifier.verify(token(K1));

        await("two background refreshes", () -> server.hits("/certs") >= 3);

        assertThat(verifier.verify(token(K1)).keyId()).isEqualTo("k1");
        assertThat(source.refusedRefetchCount()).isZero();
    }

    @Test
    void staleKeysServeThroughAnOutageThen503ThenRecover() throws Exception {
        server.json("/certs", jwks(K1));
        TokenVerifier verifier = verifier(Duration.ofMillis(600), Duration.ofSeconds(2), server.url("/certs"));
        verifier.verify(token(K1));

        server.stop();
        await("a refresh failed", () -> source.fetchFailureCount() > 0);
        // Refresh at 480 ms, retries every 120 ms: a third failure means more than 600 ms (the TTL) have passed.
        await("the keys are past their TTL", () -> source.fetchFailureCount() >= 3);
        assertThat(verifier.verify(token(K1)).keyId()).as("stale keys still verify").isEqualTo("k1");

        await("the stale window ends", () -> !verifies(verifier, token(K1)));
        AuthException unavailable = rejection(verifier, token(K1));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.reason()).isEqualTo(Rejection.KEYS_UNAVAILABLE);

        server.restart();
        await("the background retry finds the server again", () -> verifies(verifier, token(K1)));
    }

    @Test
    void discoveryUrlIsResolvedToItsJwksUri() {
        server.json("/realms/r/.well-known/openid-configuration",
                "{\"issuer\":\"x\",\"jwks_uri\":\"" + server.url("/realms/r/certs") + "\"}");
        server.json("/realms/r/certs", jwks(K1));
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1),
                server.url("/realms/r/.well-known/openid-configuration"));

        assertThat(verifier.verify(token(K1)).keyId()).isEqualTo("k1");
        assertThat(server.hits("/realms/r/.well-known/openid-configuration")).isEqualTo(1);
        assertThat(server.hits("/realms/r/certs")).isEqualTo(1);
    }

    @Test
    void urlsAreTriedInOrderUntilTheKidMatches() {
        server.json("/a", jwks(K1));
        server.json("/b", jwks(K2));
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/a"),
                server.url("/b"));

        assertThat(verifier.verify(token(K1)).keyId()).isEqualTo("k1");
        assertThat(server.hits("/b")).as("second URL not needed").isZero();
        assertThat(verifier.verify(token(K2)).keyId()).isEqualTo("k2");
        assertThat(server.hits("/b")).isEqualTo(1);
    }

    @Test
    void aFailingFirstUrlDoesNotHideTheSecond() {
        server.status("/down", 500);
        server.json("/b", jwks(K2));
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/down"),
                server.url("/b"));

        assertThat(verifier.verify(token(K2)).keyId()).isEqualTo("k2");
    }

    @Test
    void pemCertificateMapIsReadWithMapKeysAsKids(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "google", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("google");
        RSAKey signing = new RSAKey.Builder((RSAPublicKey) certificate.getPublicKey())
                .privateKey((PrivateKey) keyStore.getKey("google", "changeit".toCharArray())).keyID("cert-kid").build();
        String pem = "-----BEGIN CERTIFICATE-----\\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                        .replace("\n", "\\n")
                + "\\n-----END CERTIFICATE-----\\n";
        server.json("/oauth2/v1/certs", "{\"cert-kid\":\"" + pem + "\",\"other\":\"" + pem + "\"}");
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/oauth2/v1/certs"));

        assertThat(verifier.verify(token(signing)).keyId()).isEqualTo("cert-kid");
        assertThat(source.currentKeys().keyIds()).containsExactlyInAnyOrder("cert-kid", "other");
    }

    @Test
    void floodOfUnknownKidsCostsAtMostTwoFetches() throws Exception {
        server.json("/certs", jwks(K1));
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/certs"));
        verifier.verify(token(K1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AuthException>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                RSAKey fake = new RSAKey.Builder(K1).keyID("made-up-" + i).build();
                String token = token(fake);
                results.add(pool.submit(() -> rejection(verifier, token)));
            }
            for (Future<AuthException> result : results) {
                assertThat(result.get().reason()).isEqualTo(Rejection.UNKNOWN_KID);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(server.hits("/certs")).isLessThanOrEqualTo(2);
        assertThat(source.refusedRefetchCount()).isGreaterThan(0);
        assertThat(verifier.verify(token(K1)).keyId()).isEqualTo("k1");
    }

    @Test
    void concurrentRequestsShareOneFetch() throws Exception {
        server.json("/certs", jwks(K1));
        server.delay(300);
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/certs"));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<VerifiedToken>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> verifier.verify(token(K1))));
            }
            for (Future<VerifiedToken> result : results) {
                assertThat(result.get().keyId()).isEqualTo("k1");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(server.hits("/certs")).isEqualTo(1);
    }

    @Test
    void oversizedResponseIsRefused() {
        server.json("/big", "{\"keys\":[],\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        TokenVerifier verifier = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/big"));

        assertThat(rejection(verifier, token(K1)).status()).isEqualTo(503);
        assertThat(source.fetchFailureCount()).isEqualTo(1);
    }

    @Test
    void redirectIsFollowedOnTheSameHostOnly() {
        server.json("/certs", jwks(K1));
        server.redirect("/same", server.url("/certs"));
        server.redirect("/other", "http://localhost:" + server.port() + "/certs");

        TokenVerifier same = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/same"));
        assertThat(same.verify(token(K1)).keyId()).isEqualTo("k1");
        source.close();

        TokenVerifier other = verifier(Duration.ofMinutes(10), Duration.ofHours(1), server.url("/other"));
        assertThat(rejection(other, token(K1)).status()).isEqualTo(503);
        assertThat(server.hits("/certs")).isEqualTo(1);
    }

    @Test
    void closeStopsBackgroundRefresh() throws Exception {
        server.json("/certs", jwks(K1));
        TokenVerifier verifier = verifier(Duration.ofMillis(200), Duration.ofSeconds(5), server.url("/certs"));
        verifier.verify(token(K1));

        source.close();
        int hitsAtClose = server.hits("/certs");
        Thread.sleep(600);

        assertThat(server.hits("/certs")).isEqualTo(hitsAtClose);
    }
}
