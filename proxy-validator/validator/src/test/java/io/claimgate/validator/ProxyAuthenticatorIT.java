package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.claimgate.model.AuthResult;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.store.Database;
import io.claimgate.validator.store.PostgresDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline with real parts: keys fetched over HTTP from a JWKS endpoint on loopback, objects read from a
 * real PostgreSQL through the caching directory.
 */
class ProxyAuthenticatorIT {

    private static final TokenMint MINT = new TokenMint("kc-it");

    private static EmbeddedPostgres postgres;
    private static Database database;
    private static HttpServer jwks;
    private static CachedDirectory directory;
    private static ProxyAuthenticator auth;

    @BeforeAll
    static void start() throws IOException, SQLException {
        Path dataDirectory = Path.of("target", "it-pipeline-postgres");
        // A clean cluster each run: the rows below are inserted, not upserted.
        if (Files.exists(dataDirectory)) {
            try (Stream<Path> paths = Files.walk(dataDirectory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory.toAbsolutePath()).setCleanDataDirectory(false)
                .start();
        database = Database.open(postgres.getJdbcUrl("postgres", "postgres"));
        sql("INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, models) VALUES "
                + "('research', 'Research', ARRAY['gpt-4o-mini']), ('support', 'Support', ARRAY['claude-3-haiku'])");

        byte[] keys = new JWKSet(MINT.publicKey()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/realms/claimgate/protocol/openid-connect/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(keys);
            }
        });
        jwks.start();

        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of(
                        "team_id_jwt_field", "team_id",
                        "team_ids_jwt_field", "team_ids",
                        "user_id_jwt_field", "sub",
                        "user_email_jwt_field", "email",
                        "user_id_upsert", true))
                .environment(Map.of(
                        "JWT_PUBLIC_KEY_URL", "http://127.0.0.1:" + jwks.getAddress().getPort()
                                + "/realms/claimgate/protocol/openid-connect/certs",
                        "JWT_ISSUER", TokenMint.ISSUER,
                        "JWT_AUDIENCE", TokenMint.AUDIENCE));
        directory = new CachedDirectory(new PostgresDirectory(database.dataSource()));
        auth = ProxyAuthenticator.builder(settings).directory(directory).build();
    }

    @AfterAll
    static void stop() throws IOException {
        if (auth != null) {
            auth.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void allowsATeamModelWithKeysFromJwksAndTheTeamFromPostgres() {
        AuthResult result = auth.authenticate(new AuthRequest(
                MINT.token(Map.of("sub", "u-research", "team_ids", List.of("support", "research"))),
                "/chat/completions", List.of("gpt-4o-mini"), "Research", null));

        assertThat(result.teamId()).isEqualTo("research");
        assertThat(result.team().teamAlias()).isEqualTo("Research");
        assertThat(result.user().userId()).isEqualTo("u-research");
    }

    @Test
    void createsOneUserForFiftyConcurrentFirstRequests() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<AuthResult>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                // A token each, so that every request goes through verification and the user lookup itself.
                String token = MINT.token(Map.of("sub", "newcomer", "email", "newcomer@example.com", "team_id",
                        "research", "jti", "t" + i));
                calls.add(() -> auth.authenticate(AuthRequest.of(token, "/chat/completions", "gpt-4o-mini")));
            }
            List<Future<AuthResult>> results = pool.invokeAll(calls, 60, TimeUnit.SECONDS);

            for (Future<AuthResult> result : results) {
                assertThat(result.get().user().userId()).isEqualTo("newcomer");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM \"LiteLLM_UserTable\" WHERE user_id = 'newcomer'")).isEqualTo(1);
    }

    @Test
    void refusesABlockedTeamAtOnceAfterInvalidation() throws SQLException {
        sql("INSERT INTO \"LiteLLM_TeamTable\" (team_id, models) VALUES ('soon-blocked', ARRAY['gpt-4o-mini'])");
        String token = MINT.token(Map.of("sub", "u-blocked", "team_id", "soon-blocked"));
        auth.authenticate(AuthRequest.of(token, "/chat/completions", "gpt-4o-mini"));

        sql("UPDATE \"LiteLLM_TeamTable\" SET blocked = true WHERE team_id = 'soon-blocked'");
        directory.invalidateTeam("soon-blocked");

        AuthException e = catchThrowableOfType(AuthException.class,
                () -> auth.authenticate(AuthRequest.of(token, "/chat/completions", "gpt-4o-mini")));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.reason()).isEqualTo("team_blocked");
    }

    @Test
    void refusesATokenSignedByAKeyTheJwksDoesNotPublish() {
        String forged = new TokenMint("kc-it").token(Map.of("sub", "x", "team_id", "research"));

        AuthException e = catchThrowableOfType(AuthException.class,
                () -> auth.authenticate(AuthRequest.of(forged, "/chat/completions", "gpt-4o-mini")));

        assertThat(e.status()).isEqualTo(401);
    }
}
