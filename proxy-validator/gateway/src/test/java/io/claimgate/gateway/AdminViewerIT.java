package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewayConfigReader;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.JwksServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code proxy_admin_viewer} on the gateway's management API, as LiteLLM treats that role: it reads every team and
 * user, and is refused every write. The role comes from the token ({@code role_mappings}) or from the user's stored
 * {@code user_role}, set through {@code /user/new}. Real parts: the config read as the gateway reads it, its
 * components assembled as {@code Main} assembles them, HTTP on loopback, PostgreSQL with LiteLLM's tables and a JWKS
 * endpoint.
 */
class AdminViewerIT {

    private static final String MASTER_KEY = "sk-viewer-it";

    private static EmbeddedPostgres postgres;
    private static JwksServer jwks;
    private static RSAKey key;
    private static JwtGatewayComponents components;
    private static GatewayServer gateway;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        key = new RSAKeyGenerator(2048).keyID("viewer").keyUse(KeyUse.SIGNATURE).generate();
        jwks = JwksServer.serving(key);
        GatewayConfig config = new GatewayConfigReader(Map.of()).parse("""
                general_settings:
                  enable_jwt_auth: true
                  master_key: %s
                  database_url: %s
                  litellm_jwtauth:
                    user_id_jwt_field: uid
                    roles_jwt_field: roles
                    role_mappings:
                      - role: auditor
                        internal_role: proxy_admin_viewer
                environment_variables:
                  JWT_PUBLIC_KEY_URL: http://127.0.0.1:%d/certs
                gateway:
                  host: 127.0.0.1
                  port: 0
                  run_migrations: true
                """.formatted(MASTER_KEY, postgres.getJdbcUrl("postgres", "postgres"), jwks.port()));
        components = JwtGatewayComponents.create(config, new GatewayMetrics());
        gateway = new GatewayServer(config, components.authenticator(), components.dataSource(),
                components.changes(), components.readinessChecks(), new GatewayMetrics()).start();
        http = new Http(gateway.uri());
        ok(http.post("/team/new", MASTER_KEY, "{\"team_id\": \"research\", \"team_alias\": \"Research\"}"));
        ok(http.post("/user/new", MASTER_KEY, "{\"user_id\": \"carol\", \"user_role\": \"proxy_admin_viewer\"}"));
        ok(http.post("/user/new", MASTER_KEY, "{\"user_id\": \"dave\", \"user_role\": \"internal_user\"}"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (components != null) {
            components.close();
        }
        if (jwks != null) {
            jwks.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aTokenMappedToTheViewerRoleReadsEveryTeamAndUser() throws Exception {
        String viewer = token("auditor-1", List.of("auditor"));

        JsonNode team = ok(http.get("/team/info?team_id=research", viewer));
        JsonNode users = ok(http.get("/user/list", viewer));

        assertThat(team.toString()).contains("\"research\"");
        assertThat(users.toString()).contains("\"carol\"");
    }

    @Test
    void aTokenMappedToTheViewerRoleIsRefusedEveryWrite() throws Exception {
        String viewer = token("auditor-2", List.of("auditor"));

        assertRefused(http.post("/team/new", viewer, "{\"team_id\": \"intruders\"}"));
        assertRefused(http.post("/user/update", viewer, "{\"user_id\": \"carol\", \"user_role\": \"proxy_admin\"}"));
        assertRefused(http.post("/team/delete", viewer, "{\"team_ids\": [\"research\"]}"));

        assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamTable\" WHERE team_id = 'intruders'")).isZero();
        assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamTable\" WHERE team_id = 'research'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM \"LiteLLM_UserTable\" WHERE user_role = 'proxy_admin'")).isZero();
    }

    @Test
    void aViewerMayReadOnlyWithGet() throws Exception {
        // LiteLLM lets the viewer's safe methods through; a read route sent as POST is not one.
        assertRefused(http.post("/team/info", token("auditor-3", List.of("auditor")), "{\"team_id\": \"research\"}"));
    }

    @Test
    void aUserStoredAsViewerThroughUserNewReadsButCannotWrite() throws Exception {
        // carol's token carries no role mapping: only her stored user_role makes her a viewer
        String carol = token("carol", List.of());

        JsonNode team = ok(http.get("/team/info?team_id=research", carol));
        HttpResponse<String> write = http.post("/team/new", carol, "{\"team_id\": \"carols-team\"}");

        assertThat(team.toString()).contains("\"research\"");
        assertRefused(write);
        assertThat(count("SELECT count(*) FROM \"LiteLLM_TeamTable\" WHERE team_id = 'carols-team'")).isZero();
    }

    @Test
    void anInternalUserIsRefusedTheManagementReads() throws Exception {
        assertRefused(http.get("/team/info?team_id=research", token("dave", List.of())));
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Http.json(response);
    }

    private static void assertRefused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        JsonNode error = Http.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("403");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String token(String subject, List<String> roles) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).claim("typ", "Bearer").claim("roles", roles);
        if (roles.isEmpty()) {
            // A user id makes the token an internal_user before role_mappings are read (LiteLLM's get_rbac_role).
            claims.claim("uid", subject);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
