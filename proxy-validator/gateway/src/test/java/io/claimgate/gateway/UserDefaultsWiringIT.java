package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.claimgate.gateway.support.JwksServer;
import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.validator.AuthRequest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A LiteLLM config's {@code litellm_settings.default_internal_user_params} reaches the users the gateway creates:
 * the config read as the gateway reads it, its components assembled as {@code Main} assembles them, a real
 * PostgreSQL and a JWKS endpoint on loopback.
 */
class UserDefaultsWiringIT {

    private static EmbeddedPostgres postgres;
    private static JwksServer jwks;
    private static RSAKey key;
    private static JwtGatewayComponents components;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        key = new RSAKeyGenerator(2048).keyID("wiring").keyUse(KeyUse.SIGNATURE).generate();
        jwks = JwksServer.serving(key);
        GatewayConfig config = new GatewayConfigReader(Map.of()).parse("""
                general_settings:
                  enable_jwt_auth: true
                  database_url: %s
                  litellm_jwtauth:
                    user_id_jwt_field: sub
                    user_id_upsert: true
                litellm_settings:
                  default_internal_user_params:
                    user_role: internal_user_viewer
                    max_budget: 3
                    budget_duration: 7d
                    models: ["gpt-4o-mini"]
                environment_variables:
                  JWT_PUBLIC_KEY_URL: http://127.0.0.1:%d/certs
                gateway:
                  run_migrations: true
                """.formatted(postgres.getJdbcUrl("postgres", "postgres"), jwks.port()));
        components = JwtGatewayComponents.create(config, new GatewayMetrics());
    }

    @AfterAll
    static void stop() throws Exception {
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
    void aUserCreatedOnFirstSightStartsWithTheConfiguredDefaults() throws Exception {
        AuthResult result = components.authenticator().authenticate(AuthRequest.of(token("first-timer"),
                "/chat/completions", "gpt-4o-mini"));

        assertThat(result.user().userRole()).isEqualTo(ProxyRole.INTERNAL_USER_VIEWER);
        assertThat(result.user().models()).containsExactly("gpt-4o-mini");
        assertThat(result.user().maxBudget()).isEqualTo(3.0);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT user_role, max_budget, budget_duration"
                     + " FROM \"LiteLLM_UserTable\" WHERE user_id = 'first-timer'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("internal_user_viewer");
            assertThat(row.getDouble(2)).isEqualTo(3.0);
            assertThat(row.getString(3)).isEqualTo("7d");
        }
    }

    private static String token(String subject) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(600))).claim("typ", "Bearer").build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
