package io.claimgate.gateway.e2e;

import io.claimgate.keycloak.testing.KeycloakServer;
import io.claimgate.gateway.demo.DemoUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;

/**
 * What every end-to-end test class shares, because it is slow to start: a real Keycloak with the packaged extension and
 * the demo realm of the local stack, and the DEMO upstream. Each test class starts its own gateway over these
 * ({@link GatewayUnderTest}), so that its database starts empty. JUnit closes this when the suite ends, failures
 * included; the Keycloak fixture also has a shutdown hook as a backstop.
 */
final class SuiteServices implements AutoCloseable {

    /** The demo realm ({@code docker/keycloak/claimgate-realm.json}) and its public client. */
    static final String REALM = "claimgate";
    static final String CLIENT = "llm-gateway";

    /** Demo users; each one's password is the user name. alice: team research; bob: research and support. */
    static final String ALICE = "alice";
    static final String BOB = "bob";
    /** The realm's proxy-admin: the extension gives the {@code litellm_proxy_admin} scope, and no team. */
    static final String ADMIN = "admin";

    private final KeycloakServer keycloak;
    private final DemoUpstream upstream;
    private final Path runDirectory;

    private SuiteServices(KeycloakServer keycloak, DemoUpstream upstream, Path runDirectory) {
        this.keycloak = keycloak;
        this.upstream = upstream;
        this.runDirectory = runDirectory;
    }

    static SuiteServices start() {
        Path runDirectory = Paths.get(property("claimgate.e2e.dir")).resolve("run-" + UUID.randomUUID());
        DemoUpstream upstream;
        try {
            Files.createDirectories(runDirectory);
            upstream = new DemoUpstream("127.0.0.1", 0).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            KeycloakServer keycloak = KeycloakServer.builderFromSystemProperties()
                    .realm(Paths.get(property("claimgate.demo.realm")))
                    .start();
            return new SuiteServices(keycloak, upstream, runDirectory);
        } catch (RuntimeException e) {
            upstream.close();
            throw e;
        }
    }

    KeycloakServer keycloak() {
        return keycloak;
    }

    URI upstream() {
        return URI.create("http://127.0.0.1:" + upstream.port());
    }

    /** A fresh directory for one gateway's data under {@code target/e2e}. */
    Path newDirectory(String name) {
        try {
            return Files.createDirectories(runDirectory.resolve(name + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A demo user's access token from a password grant on the gateway's client. */
    String token(String user) {
        return keycloak.accessToken(REALM, CLIENT, null, user, user);
    }

    /** The {@code sub} of a demo user's token: the gateway's user id ({@code user_id_jwt_field: sub}). */
    String subject(String user) {
        return KeycloakServer.claims(token(user)).path("sub").asText();
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set; run the end-to-end tests "
                    + "through Maven (failsafe), which sets it");
        }
        return value;
    }

    @Override
    public void close() {
        try {
            keycloak.close();
        } finally {
            upstream.close();
        }
    }
}
