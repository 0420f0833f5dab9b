package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The library's boundary: an application that embeds the validator gets what verification and the directory need, and
 * no HTTP server, command line, metrics registry, logging backend or PostgreSQL binaries. The build writes the
 * resolved run-time dependency list ({@code dependency:list}) before the tests run; this test reads it.
 */
class LibraryDependenciesTest {

    /** Direct dependencies, and what they bring; a new entry here is a decision, not an accident. */
    private static final Set<String> ALLOWED = Set.of(
            "io.claimgate:shared-model",
            "com.nimbusds:nimbus-jose-jwt",
            "software.amazon.cryptools:AmazonCorrettoCryptoProvider",
            "com.zaxxer:HikariCP",
            "org.flywaydb:flyway-core",
            "org.flywaydb:flyway-database-postgresql",
            "org.postgresql:postgresql",
            "com.github.ben-manes.caffeine:caffeine",
            "com.fasterxml.jackson.core:jackson-databind",
            "com.fasterxml.jackson.core:jackson-core",
            "com.fasterxml.jackson.core:jackson-annotations",
            "org.slf4j:slf4j-api",
            // Brought by the above: Flyway's PostgreSQL support includes CockroachDB's; the rest are annotations.
            "org.flywaydb:flyway-database-cockroachdb",
            "org.checkerframework:checker-qual",
            "com.google.errorprone:error_prone_annotations",
            "org.jspecify:jspecify");

    private static final List<String> NEVER = List.of("org.eclipse.jetty", "info.picocli", "io.micrometer",
            "ch.qos.logback", "io.zonky.test", "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml");

    @Test
    void dependsOnlyOnWhatVerificationAndTheDirectoryNeed() throws IOException {
        Set<String> resolved = runtimeDependencies();

        assertThat(resolved).contains("io.claimgate:shared-model", "com.nimbusds:nimbus-jose-jwt",
                "com.zaxxer:HikariCP", "org.flywaydb:flyway-core", "org.slf4j:slf4j-api");
        assertThat(resolved).isSubsetOf(ALLOWED);
        assertThat(resolved).noneMatch(artifact -> NEVER.stream().anyMatch(artifact::startsWith));
    }

    @Test
    void nativeSignatureProviderIsOptionalForApplications() throws IOException {
        assertThat(Files.readAllLines(listFile()))
                .filteredOn(line -> line.contains("AmazonCorrettoCryptoProvider"))
                .singleElement().asString().contains("(optional)");
    }

    private static Set<String> runtimeDependencies() throws IOException {
        Set<String> artifacts = new TreeSet<>();
        for (String line : Files.readAllLines(listFile())) {
            // "   group:artifact:type[:classifier]:version:scope -- module name (auto)"
            String trimmed = line.trim();
            if (trimmed.isEmpty() || !trimmed.contains(":") || trimmed.startsWith("The following")) {
                continue;
            }
            String[] parts = trimmed.split(" ")[0].split(":");
            artifacts.add(parts[0] + ":" + parts[1]);
        }
        return artifacts;
    }

    private static Path listFile() {
        String file = System.getProperty("claimgate.runtime.dependencies");
        assertThat(file).as("the build passes the dependency list (maven-dependency-plugin list)").isNotNull();
        return Path.of(file);
    }
}
