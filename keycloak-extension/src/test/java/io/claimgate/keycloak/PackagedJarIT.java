package io.claimgate.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.keycloak.testing.KeycloakServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The jar operators drop into {@code providers/}: self-contained, registered, and free of Keycloak's classes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedJarIT {

    private JarFile jar;

    @BeforeAll
    void open() throws IOException {
        jar = new JarFile(System.getProperty(KeycloakServer.EXTENSION_JAR_PROPERTY));
    }

    @AfterAll
    void close() throws IOException {
        jar.close();
    }

    private List<String> entries() {
        return jar.stream().map(JarEntry::getName).toList();
    }

    @Test
    void isNamedForTheProvidersDirectory() {
        assertThat(jar.getName()).endsWith("keycloak-extension.jar");
    }

    @Test
    void containsTheMapperAndTheSharedModel() {
        assertThat(entries()).contains("io/claimgate/keycloak/ProxyClaimsMapper.class",
                "io/claimgate/model/ClaimNames.class");
    }

    @Test
    void containsOfTheSharedModelOnlyTheClaimNames() {
        assertThat(entries()).filteredOn(name -> name.startsWith("io/claimgate/model/") && !name.endsWith("/"))
                .containsExactly("io/claimgate/model/ClaimNames.class");
    }

    @Test
    void carriesNoPackagingLeftoversOfTheSharedModel() {
        assertThat(entries()).noneMatch(name -> name.contains("shared-model"));
    }

    @Test
    void containsOnlyTheMapperAndTheModelPackages() {
        assertThat(entries()).filteredOn(name -> name.endsWith(".class"))
                .allMatch(name -> name.startsWith("io/claimgate/keycloak/") || name.startsWith("io/claimgate/model/"));
    }

    @Test
    void containsNothingKeycloakShips() {
        assertThat(entries()).noneMatch(name -> name.startsWith("org/") || name.startsWith("com/"));
    }

    @Test
    void registersTheMapperForKeycloaksServiceLoader() throws IOException {
        JarEntry services = jar.getJarEntry("META-INF/services/org.keycloak.protocol.ProtocolMapper");

        String registered = new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);

        assertThat(registered.strip()).isEqualTo(ProxyClaimsMapper.class.getName());
    }

    @Test
    void manifestCarriesTheVersionTheMapperReports() throws IOException {
        assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
                .isEqualTo(System.getProperty("claimgate.version"));
    }
}
