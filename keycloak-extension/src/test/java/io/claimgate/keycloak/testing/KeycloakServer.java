package io.claimgate.keycloak.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak, started from the unpacked {@code keycloak-quarkus-dist} as a child process on free loopback ports
 * ({@code start-dev}, in-memory database, local cache), with the given provider jars and realm files imported.
 * For integration tests: this module's, and the gateway's end-to-end tests through the test-jar.
 *
 * <p>Startup waits for {@code /health/ready} on the management port until a deadline; the server's output goes to a
 * log file whose tail is printed when startup fails. {@link #close()}, and a JVM shutdown hook as a backstop, kill
 * the whole process tree. The distribution directory is reused between runs ({@code data/import} and the jars in
 * {@code providers/} are replaced), so two servers must not share one distribution at the same time.
 *
 * <p>Dependencies: the JDK's HTTP client and Jackson databind (test scope in the caller).
 */
public final class KeycloakServer implements AutoCloseable {

    /** System property with the unpacked distribution, e.g. {@code target/keycloak-26.5.6}. */
    public static final String DIST_DIR_PROPERTY = "keycloak.dist.dir";
    /** System property with the Claimgate extension jar to install in {@code providers/}. */
    public static final String EXTENSION_JAR_PROPERTY = "claimgate.extension.jar";
    /** System property with the directory for the server's log; default {@code target/keycloak-logs}. */
    public static final String LOG_DIR_PROPERTY = "keycloak.log.dir";

    public static final String ADMIN_USERNAME = "admin";
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Thread shutdownHook;
    private final Path logFile;
    private final int httpPort;
    private final int managementPort;
    private final String adminPassword;
    private final HttpClient http;

    private KeycloakServer(Process process, Path logFile, int httpPort, int managementPort, String adminPassword,
                           HttpClient http) {
        this.process = process;
        this.logFile = logFile;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.adminPassword = adminPassword;
        this.http = http;
        this.shutdownHook = new Thread(this::kill, "keycloak-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder over an unpacked distribution directory (the one holding {@code bin/kc.sh}). */
    public static Builder builder(Path distribution) {
        return new Builder(distribution);
    }

    /**
     * A builder from the system properties {@value #DIST_DIR_PROPERTY} (required), {@value #EXTENSION_JAR_PROPERTY}
     * (added as a provider when set) and {@value #LOG_DIR_PROPERTY}, as the failsafe configuration passes them.
     */
    public static Builder builderFromSystemProperties() {
        String dist = System.getProperty(DIST_DIR_PROPERTY);
        if (dist == null || dist.isBlank()) {
            throw new IllegalStateException("System property " + DIST_DIR_PROPERTY
                    + " is not set; run the integration tests through Maven (failsafe), which unpacks the"
                    + " distribution");
        }
        Builder builder = builder(Paths.get(dist));
        String jar = System.getProperty(EXTENSION_JAR_PROPERTY);
        if (jar != null && !jar.isBlank()) {
            builder.provider(Paths.get(jar));
        }
        String logs = System.getProperty(LOG_DIR_PROPERTY);
        if (logs != null && !logs.isBlank()) {
            builder.logDirectory(Paths.get(logs));
        }
        return builder;
    }

    /** The public base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The issuer of a realm's tokens. */
    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** The realm's JWKS URL, as a gateway configures {@code JWT_PUBLIC_KEY_URL}. */
    public String jwksUrl(String realm) {
        return issuer(realm) + "/protocol/openid-connect/certs";
    }

    /** The management base URL (health), e.g. {@code http://127.0.0.1:41235}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** The file the server's output goes to. */
    public Path logFile() {
        return logFile;
    }

    /** The bootstrap admin's password in the master realm (user {@value #ADMIN_USERNAME}). */
    public String adminPassword() {
        return adminPassword;
    }

    /**
     * A resource-owner password grant with {@code scope=openid}: the token endpoint's JSON answer
     * ({@code access_token}, {@code id_token}, ...). Fails when Keycloak does not answer 200.
     *
     * @param clientSecret null for a public client
     */
    public JsonNode passwordGrant(String realm, String clientId, String clientSecret, String username,
                                  String password) {
        return passwordGrant(realm, clientId, clientSecret, username, password, "openid");
    }

    /**
     * A resource-owner password grant requesting {@code scope} (e.g. {@code "openid litellm_proxy_admin"} for an
     * optional client scope): the token endpoint's JSON answer. Fails when Keycloak does not answer 200.
     *
     * @param clientSecret null for a public client
     */
    public JsonNode passwordGrant(String realm, String clientId, String clientSecret, String username,
                                  String password, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        if (clientSecret != null) {
            form.put("client_secret", clientSecret);
        }
        form.put("username", username);
        form.put("password", password);
        form.put("scope", scope);
        return expectJson(post(issuer(realm) + "/protocol/openid-connect/token", form, null), 200);
    }

    /**
     * A client-credentials grant for a confidential client with a service account: the token endpoint's JSON answer.
     * Fails when Keycloak does not answer 200.
     */
    public JsonNode clientCredentialsGrant(String realm, String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return expectJson(post(issuer(realm) + "/protocol/openid-connect/token", form, null), 200);
    }

    /** The access token of a password grant. */
    public String accessToken(String realm, String clientId, String clientSecret, String username, String password) {
        return passwordGrant(realm, clientId, clientSecret, username, password).path("access_token").asText();
    }

    /** A fresh admin access token from the master realm's {@code admin-cli}. */
    public String adminToken() {
        return accessToken("master", "admin-cli", null, ADMIN_USERNAME, adminPassword);
    }

    /**
     * A call to the admin REST API as the bootstrap admin.
     *
     * @param path below {@code /admin}, e.g. {@code /realms/claimgate/clients} or {@code /serverinfo}
     * @param jsonBody null for none
     */
    public HttpResponse<String> admin(String method, String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/admin" + path))
                .timeout(HTTP_TIMEOUT)
                .header("Authorization", "Bearer " + adminToken())
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return send(request.build());
    }

    /** An admin GET that must answer 200, as JSON. */
    public JsonNode adminGet(String path) {
        return expectJson(admin("GET", path, null), 200);
    }

    /** Token introspection (RFC 7662) by a confidential client; the JSON answer. */
    public JsonNode introspect(String realm, String clientId, String clientSecret, String token) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        String basic = Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return expectJson(post(issuer(realm) + "/protocol/openid-connect/token/introspect", form, "Basic " + basic),
                200);
    }

    /** The userinfo endpoint's JSON answer for an access token. */
    public JsonNode userinfo(String realm, String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/userinfo"))
                .timeout(HTTP_TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .GET()
                .build();
        return expectJson(send(request), 200);
    }

    /** The claims of a JWT, decoded without checking anything: for assertions, never for trust decisions. */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a JWT: " + parts.length + " part(s)");
        }
        return parseJson(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    /** Parses JSON text. */
    public static JsonNode parseJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + abbreviate(json), e);
        }
    }

    /** Serializes a value (maps, lists, records) to JSON text, e.g. for admin REST bodies. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and every process it started; idempotent. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran; nothing left to remove.
        }
    }

    private void kill() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> post(String url, Map<String, String> form, String authorization) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    private static JsonNode expectJson(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri()
                    + " answered " + response.statusCode() + " instead of " + status + ": "
                    + abbreviate(response.body()));
        }
        return parseJson(response.body());
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 500 ? String.valueOf(text) : text.substring(0, 500) + "...";
    }

    /** How to start a server: distribution, provider jars, realm files, log directory, startup deadline. */
    public static final class Builder {

        private final Path distribution;
        private final List<Path> providers = new ArrayList<>();
        private final List<Path> realms = new ArrayList<>();
        private Path logDirectory = Paths.get("target", "keycloak-logs");
        private Duration startupTimeout = Duration.ofMinutes(10);

        private Builder(Path distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution").toAbsolutePath();
        }

        /** A provider jar copied into {@code providers/}. */
        public Builder provider(Path jar) {
            providers.add(jar.toAbsolutePath());
            return this;
        }

        /** A realm export imported at startup. */
        public Builder realm(Path realmJson) {
            realms.add(realmJson.toAbsolutePath());
            return this;
        }

        /** Where the server's log file goes. */
        public Builder logDirectory(Path directory) {
            logDirectory = directory.toAbsolutePath();
            return this;
        }

        /**
         * How long to wait for readiness; default 10 minutes. A cold start with a new provider takes one to five
         * minutes on two busy cores.
         */
        public Builder startupTimeout(Duration timeout) {
            startupTimeout = timeout;
            return this;
        }

        /**
         * Starts the server and waits until it is ready.
         *
         * @throws IllegalStateException when it exits or is not ready in time; the log's tail is printed first
         */
        public KeycloakServer start() {
            Path kcSh = distribution.resolve("bin").resolve("kc.sh");
            if (!Files.isRegularFile(kcSh)) {
                throw new IllegalStateException("No Keycloak distribution at " + distribution + " (missing bin/kc.sh)");
            }
            try {
                install();
                Files.createDirectories(logDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare " + distribution, e);
            }
            int httpPort = freePort();
            int managementPort = freePort();
            while (managementPort == httpPort) {
                managementPort = freePort();
            }
            String adminPassword = "admin-" + UUID.randomUUID();
            Path logFile = logDirectory.resolve("keycloak-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")) + ".log");

            ProcessBuilder command = new ProcessBuilder("/bin/bash", kcSh.toString(), "start-dev", "--import-realm",
                    "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort,
                    "--health-enabled=true", "--cache=local", "--db=dev-mem")
                    .directory(distribution.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Map<String, String> env = command.environment();
            env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("KEYCLOAK_"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Process process;
            try {
                process = command.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start " + kcSh, e);
            }
            KeycloakServer server = new KeycloakServer(process, logFile, httpPort, managementPort, adminPassword,
                    http);
            try {
                awaitReady(server, http);
            } catch (RuntimeException e) {
                printLogTail(logFile);
                server.close();
                throw e;
            }
            return server;
        }

        private void install() throws IOException {
            kcShExecutable();
            Path providerDir = distribution.resolve("providers");
            Files.createDirectories(providerDir);
            try (Stream<Path> old = Files.list(providerDir)) {
                for (Path jar : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.delete(jar);
                }
            }
            for (Path jar : providers) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("Provider jar " + jar + " does not exist; run 'package' first");
                }
                Files.copy(jar, providerDir.resolve(jar.getFileName()));
            }
            Path importDir = distribution.resolve("data").resolve("import");
            Files.createDirectories(importDir);
            try (Stream<Path> old = Files.list(importDir)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            for (Path realm : realms) {
                Files.copy(realm, importDir.resolve(realm.getFileName()));
            }
        }

        /** Archives do not always keep the executable bit; bash is given the script, but kc.sh calls others. */
        private void kcShExecutable() {
            try (Stream<Path> scripts = Files.list(distribution.resolve("bin"))) {
                scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitReady(KeycloakServer server, HttpClient http) {
            Instant deadline = Instant.now().plus(startupTimeout);
            URI ready = URI.create(server.managementUrl() + "/health/ready");
            while (Instant.now().isBefore(deadline)) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with status " + server.process.exitValue()
                            + " before it was ready; log: " + server.logFile);
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready)
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYetListening) {
                    // The port opens late in startup; keep polling until the deadline.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
                }
                sleep(Duration.ofMillis(500));
            }
            throw new IllegalStateException("Keycloak was not ready within " + startupTimeout + "; log: "
                    + server.logFile);
        }

        private static void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("No free loopback port", e);
            }
        }

        private static void printLogTail(Path logFile) {
            try {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
                System.err.println("---- last " + tail.size() + " lines of " + logFile + " ----");
                tail.forEach(System.err::println);
                System.err.println("---- end of Keycloak log ----");
            } catch (IOException e) {
                System.err.println("Cannot read Keycloak log " + logFile + ": " + e);
            }
        }
    }
}
