package io.claimgate.keycloak;

import io.claimgate.keycloak.testing.KeycloakServer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every IT class the same Keycloak, started once for the whole suite (a cold start takes about a minute) with
 * the packaged extension, the test realms and the demo realm; JUnit closes it when the suite ends.
 */
final class SharedKeycloak implements ParameterResolver {

    static final String TEST_REALM = "claimgate-test";
    static final String DEMO_REALM = "claimgate";
    /** Keycloak 26 Organizations enabled, and the default user profile (unmanaged attributes disabled). */
    static final String ORG_REALM = "claimgate-org";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedKeycloak.class))
                .getOrComputeIfAbsent(KeycloakServer.class, key -> start(), KeycloakServer.class);
    }

    private static KeycloakServer start() {
        return KeycloakServer.builderFromSystemProperties()
                .realm(testResource("claimgate-test-realm.json"))
                .realm(testResource("claimgate-org-realm.json"))
                .realm(Paths.get(System.getProperty("claimgate.demo.realm")))
                .start();
    }

    private static Path testResource(String name) {
        try {
            return Paths.get(SharedKeycloak.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
