package io.claimgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.ProxyRole;
import io.claimgate.model.SettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayConfigReaderTest {

    /** LiteLLM's "JWT-based Auth" docs example, as published (role_permissions and scopes included). */
    private static final String LITELLM_DOCS_JWT_CONFIG = """
            model_list:
              - model_name: gpt-3.5-turbo
                litellm_params:
                  model: openai/gpt-3.5-turbo
                  api_key: os.environ/OPENAI_API_KEY
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o
                  api_base: os.environ/AZURE_API_BASE
                  api_key: os.environ/AZURE_API_KEY

            general_settings:
              master_key: sk-1234
              enable_jwt_auth: True
              litellm_jwtauth:
                admin_jwt_scope: "litellm-proxy-admin"
                team_id_jwt_field: "client_id"
                user_id_jwt_field: "sub"
                user_email_jwt_field: "email"
                user_id_upsert: true
                end_user_id_jwt_field: "customer_id"
                enforce_rbac: true
                roles_jwt_field: "resource_access.litellm-test-client-id.roles"
                role_mappings:
                  - role: litellm.api.consumer
                    internal_role: "team"
                team_ids_jwt_field: "groups"
              role_permissions:
                - role: team
                  models: ["anthropic-claude"]
                  routes: ["/v1/chat/completions"]

            litellm_settings:
              drop_params: true
              success_callback: ["langfuse"]

            router_settings:
              routing_strategy: simple-shuffle

            environment_variables:
              JWT_PUBLIC_KEY_URL: "https://keycloak.example.com/realms/demo/protocol/openid-connect/certs"
              JWT_AUDIENCE: "api://LiteLLM_Proxy"
            """;

    private final GatewayConfigReader reader = new GatewayConfigReader(Map.of());

    @Nested
    class LiteLlmConfigs {

        @Test
        void readsTheLiteLlmDocsJwtConfigAsIs() {
            GatewayConfig config = reader.parse(LITELLM_DOCS_JWT_CONFIG);

            assertThat(config.enableJwtAuth()).isTrue();
            assertThat(config.masterKey()).isEqualTo("sk-1234");
            assertThat(config.models()).containsExactly("gpt-3.5-turbo", "gpt-4o");
            assertThat(config.jwtAuth().roles().adminJwtScope()).isEqualTo("litellm-proxy-admin");
            assertThat(config.jwtAuth().claims().teamIdJwtField()).isEqualTo("client_id");
            assertThat(config.jwtAuth().access().userIdUpsert()).isTrue();
            assertThat(config.jwtAuth().access().enforceRbac()).isTrue();
            assertThat(config.jwtAuth().roles().roleMappings()).hasSize(1);
            assertThat(config.jwtAuth().access().rolePermissions()).singleElement().satisfies(p -> {
                assertThat(p.role()).isEqualTo(ProxyRole.TEAM);
                assertThat(p.models()).containsExactly("anthropic-claude");
                assertThat(p.routes()).containsExactly("/v1/chat/completions");
            });
            assertThat(config.jwtAuth().keySource().publicKeyUrls())
                    .containsExactly("https://keycloak.example.com/realms/demo/protocol/openid-connect/certs");
            assertThat(config.jwtAuth().token().audiences()).containsExactly("api://LiteLLM_Proxy");
        }

        @Test
        void reportsTheProxysOwnSectionsAsAcceptedButNotUsed() {
            GatewayConfig config = reader.parse(LITELLM_DOCS_JWT_CONFIG);

            assertThat(config.warnings()).anyMatch(w -> w.startsWith("litellm_settings: accepted"))
                    .anyMatch(w -> w.startsWith("router_settings: accepted"));
        }

        @Test
        void doesNotResolveModelListSecretsItDoesNotUse() {
            // OPENAI_API_KEY is unset here, yet the config reads: it is the LLM proxy's secret.
            assertThat(reader.parse(LITELLM_DOCS_JWT_CONFIG).models()).hasSize(2);
        }

        @Test
        void listsEachModelNameOnceInOrder() {
            GatewayConfig config = reader.parse("""
                    model_list:
                      - model_name: gpt-4o
                      - model_name: claude
                      - model_name: gpt-4o
                    """);

            assertThat(config.models()).containsExactly("gpt-4o", "claude");
        }

        @Test
        void acceptsKnownGeneralSettingsWithAWarningAndReportsUnknownOnes() {
            GatewayConfig config = reader.parse("""
                    general_settings:
                      alerting: ["slack"]
                      proxy_batch_write_at: 60
                      master_keyy: typo
                    """);

            assertThat(config.warnings())
                    .contains("general_settings.alerting: accepted, not used by the gateway")
                    .contains("general_settings.master_keyy: unknown key, ignored");
        }

        @Test
        void reportsLiteLlmJwtKeysClaimgateDoesNotImplement() {
            GatewayConfig config = reader.parse("""
                    general_settings:
                      enable_jwt_auth: true
                      litellm_jwtauth:
                        team_id_upsert: true
                    """);

            assertThat(config.warnings())
                    .contains("general_settings.litellm_jwtauth.team_id_upsert: accepted, not implemented by Claimgate");
        }

        @Test
        void warnsThatOnlyTheMasterKeyWorksWithoutJwtAuth() {
            GatewayConfig config = reader.parse("general_settings:\n  master_key: sk-1\n");

            assertThat(config.enableJwtAuth()).isFalse();
            assertThat(config.warnings()).anyMatch(w -> w.contains("only the master key works"));
        }

        @Test
        void honoursEnforceRbacInGeneralSettings() {
            GatewayConfig config = reader.parse("general_settings:\n  enforce_rbac: true\n");

            assertThat(config.jwtAuth().access().enforceRbac()).isTrue();
        }

        @Test
        void readsAnEmptyFileAsEveryDefault() {
            GatewayConfig config = reader.parse("");

            assertThat(config.gateway()).isEqualTo(GatewaySettings.defaults());
            assertThat(config.masterKey()).isNull();
            assertThat(config.databaseUrl()).isNull();
        }
    }

    @Test
    void readsTheShippedConfigWithItsEnvironment() {
        // given the config.yaml the local stack and docker compose share, and the variables they set
        Map<String, String> env = Map.of(
                "KEYCLOAK_JWKS_URL", "http://kc:8080/realms/claimgate/protocol/openid-connect/certs",
                "KEYCLOAK_ISSUER", "http://kc:8080/realms/claimgate", "LITELLM_MASTER_KEY", "sk-shipped",
                "GATEWAY_HOST", "0.0.0.0", "GATEWAY_UPSTREAM", "http://litellm:4000", "GATEWAY_DATA_DIR", "/data");

        // when it is read
        GatewayConfig config = new GatewayConfigReader(env).read(Path.of("../../docker/gateway/config.yaml"));

        // then every stage gets its settings and the gateway section its values
        assertThat(config.enableJwtAuth()).isTrue();
        assertThat(config.jwtAuth().keySource().publicKeyUrls())
                .containsExactly("http://kc:8080/realms/claimgate/protocol/openid-connect/certs");
        assertThat(config.jwtAuth().token().issuer()).isEqualTo("http://kc:8080/realms/claimgate");
        assertThat(config.jwtAuth().token().audiences()).containsExactly("llm-gateway");
        assertThat(config.jwtAuth().claims().teamIdsJwtField()).isEqualTo("team_ids");
        assertThat(config.jwtAuth().access().userIdUpsert()).isTrue();
        assertThat(config.gateway().readTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.gateway().upstream()).isEqualTo(URI.create("http://litellm:4000"));
    }

    @Nested
    class Environment {

        @Test
        void resolvesOsEnvironReferencesFromTheEnvironment() {
            GatewayConfigReader withEnv = new GatewayConfigReader(Map.of("LITELLM_MASTER_KEY", "sk-from-env",
                    "UPSTREAM_KEY", "sk-upstream"));

            GatewayConfig config = withEnv.parse("""
                    general_settings:
                      master_key: os.environ/LITELLM_MASTER_KEY
                    gateway:
                      upstream: http://127.0.0.1:4001
                      upstream_api_key: os.environ/UPSTREAM_KEY
                    """);

            assertThat(config.masterKey()).isEqualTo("sk-from-env");
            assertThat(config.gateway().upstreamApiKey()).isEqualTo("sk-upstream");
        }

        @Test
        void refusesAReferenceToAMissingVariableNamingTheKey() {
            assertThatThrownBy(() -> reader.parse("general_settings:\n  master_key: os.environ/NOPE\n"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("general_settings.master_key")
                    .hasMessageContaining("NOPE");
        }

        @Test
        void resolvesReferencesInsideLitellmJwtauth() {
            GatewayConfigReader withEnv = new GatewayConfigReader(Map.of("TEAM_FIELD", "team_id"));

            GatewayConfig config = withEnv.parse("""
                    general_settings:
                      litellm_jwtauth:
                        team_id_jwt_field: os.environ/TEAM_FIELD
                    """);

            assertThat(config.jwtAuth().claims().teamIdJwtField()).isEqualTo("team_id");
        }

        @Test
        void configEnvironmentVariablesWinOverTheRealEnvironmentAsInLiteLlm() {
            GatewayConfigReader withEnv = new GatewayConfigReader(Map.of(
                    "JWT_ISSUER", "https://from-process", "JWT_AUDIENCE", "process-audience"));

            GatewayConfig config = withEnv.parse("""
                    environment_variables:
                      JWT_ISSUER: https://from-config
                    """);

            assertThat(config.jwtAuth().token().issuer()).isEqualTo("https://from-config");
            assertThat(config.jwtAuth().token().audiences()).containsExactly("process-audience");
        }

        @Test
        void referencesSeeConfigEnvironmentVariables() {
            GatewayConfig config = reader.parse("""
                    environment_variables:
                      MY_KEY: sk-config
                    general_settings:
                      master_key: os.environ/MY_KEY
                    """);

            assertThat(config.masterKey()).isEqualTo("sk-config");
        }

        @Test
        void takesTheDatabaseUrlFromGeneralSettingsBeforeTheEnvironment() {
            GatewayConfigReader withEnv = new GatewayConfigReader(Map.of("DATABASE_URL", "postgresql://env/db"));

            assertThat(withEnv.parse("").databaseUrl()).isEqualTo("postgresql://env/db");
            assertThat(withEnv.parse("general_settings:\n  database_url: postgresql://cfg/db\n").databaseUrl())
                    .isEqualTo("postgresql://cfg/db");
        }
    }

    @Nested
    class GatewaySection {

        @Test
        void readsEveryKey() {
            GatewayConfig config = reader.parse("""
                    gateway:
                      host: 0.0.0.0
                      port: 8088
                      upstream: http://litellm:4000/
                      upstream_api_key: sk-up
                      connect_timeout: 2.5
                      read_timeout: 120
                      max_request_body_bytes: 1048576
                      data_dir: /var/lib/claimgate
                      run_migrations: false
                      body_read_timeout: 15
                      body_min_bytes_per_second: 512
                      max_concurrent_body_reads: 32
                      forward_auth:
                        route_header: X-Forwarded-Uri
                      proxy_routes: [llm_api_routes, /key/info]
                      trusted_proxies: [10.0.0.0/8, "fd00::/8"]
                    """);

            assertThat(config.gateway()).isEqualTo(new GatewaySettings("0.0.0.0", 8088,
                    URI.create("http://litellm:4000"), "sk-up", Duration.ofMillis(2500), Duration.ofSeconds(120),
                    1_048_576, Path.of("/var/lib/claimgate"), false,
                    new BodyReadLimits(Duration.ofSeconds(15), 512, 32), RouteSource.X_FORWARDED_URI,
                    List.of("llm_api_routes", "/key/info"), List.of("10.0.0.0/8", "fd00::/8")));
        }

        @Test
        void defaultsToSafeForwardingAndTrustingNoProxy() {
            GatewaySettings settings = reader.parse("gateway:\n  port: 4000\n").gateway();

            assertThat(settings.forwardAuthRoute()).isEqualTo(RouteSource.X_ORIGINAL_URI);
            // the inference routes whose every model the gateway reads, and nothing where a model hides elsewhere
            assertThat(settings.proxyRoutes()).isEqualTo(GatewaySettings.DEFAULT_PROXY_ROUTES)
                    .contains("/v1/chat/completions", "/chat/completions", "/v1/messages",
                            "/openai/deployments/{model}/chat/completions")
                    .doesNotContain("llm_api_routes", "openai_routes", "/v1/batches", "/v1/files")
                    .noneMatch(route -> route.endsWith("*"));
            assertThat(settings.trustedProxies()).isEmpty();
            assertThat(settings.bodyReads()).isEqualTo(BodyReadLimits.defaults());
        }

        @Test
        void neverPrintsAPasswordInTheUpstreamUrl() {
            GatewayConfig config = reader.parse("gateway:\n  upstream: http://gw:hunter2@litellm:4000\n");

            assertThat(config.toString()).doesNotContain("hunter2").contains("http://litellm:4000");
            assertThatThrownBy(() -> reader.parse("gateway:\n  upstream: ftp://gw:hunter2@litellm\n"))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }

        @Test
        void neverPrintsTheUpstreamCredential() {
            GatewayConfig config = reader.parse("gateway:\n  upstream_api_key: sk-very-secret\n");

            assertThat(config.toString()).doesNotContain("sk-very-secret");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "gateway:\\n  prot: 80                       | gateway.prot",
            "gateway:\\n  port: 70000                    | gateway.port",
            "gateway:\\n  port: eighty                   | gateway.port",
            "gateway:\\n  upstream: ftp://x              | gateway.upstream",
            "gateway:\\n  upstream: http://x/?a=b        | gateway.upstream",
            "gateway:\\n  read_timeout: 0                | gateway.read_timeout",
            "gateway:\\n  max_request_body_bytes: 0      | gateway.max_request_body_bytes",
            "gateway:\\n  run_migrations: maybe          | gateway.run_migrations",
            "gateway:\\n  body_read_timeout: 0           | gateway.body_read_timeout",
            "gateway:\\n  body_min_bytes_per_second: -1  | gateway.body_min_bytes_per_second",
            "gateway:\\n  max_concurrent_body_reads: 0   | gateway.max_concurrent_body_reads",
            "gateway:\\n  forward_auth:\\n    route_header: host | gateway.forward_auth.route_header",
            "gateway:\\n  forward_auth:\\n    header: path | gateway.forward_auth.header",
            "gateway:\\n  proxy_routes: [key_routes_typo] | gateway.proxy_routes",
            "gateway:\\n  trusted_proxies: [10.0.0.0/33] | gateway.trusted_proxies",
            "gateway:\\n  trusted_proxies: [proxy.local] | gateway.trusted_proxies",
            "general_settings:\\n  enable_jwt_auth: sure | general_settings.enable_jwt_auth",
            "general_settings:\\n  litellm_jwtauth:\\n    leeway: -1 | general_settings.litellm_jwtauth.leeway",
            "general_settings:\\n  litellm_jwtauth:\\n    bogus: 1   | general_settings.litellm_jwtauth.bogus",
            "general_settings:\\n  role_permissions:\\n    - role: wizard | general_settings.role_permissions[0].role",
            "model_list:\\n  - litellm_params: {}        | model_list[0].model_name",
            "environment_variables:\\n  JWT_PUBLIC_KEY_URL: file:///etc/keys | JWT_PUBLIC_KEY_URL",
            "'general_settings: [1, 2]'                 | general_settings",
            "'a: [unclosed'                             | config.yaml",
        })
        void refusesAnInvalidValueNamingTheKey(String yaml, String key) {
            assertThatThrownBy(() -> reader.parse(yaml.replace("\\n", "\n")))
                    .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.key()).isEqualTo(key));
        }

        @Test
        void readsDurationsByOneRuleInTheJwtBlockAndTheGatewaySection() {
            // given the same duration, more than a day, in both sections
            String jwtBlock = "general_settings:\n  litellm_jwtauth:\n    public_key_stale_ttl: 90000\n";
            String gatewaySection = "gateway:\n  read_timeout: 90000\n";

            // when each is read, then both are refused for the same reason, each naming its own key
            assertThatThrownBy(() -> reader.parse(jwtBlock)).isInstanceOfSatisfying(SettingsException.class, e -> {
                assertThat(e.key()).isEqualTo("general_settings.litellm_jwtauth.public_key_stale_ttl");
                assertThat(e.problem()).isEqualTo("must be a number of seconds from 0 to 86400, got 90000");
            });
            assertThatThrownBy(() -> reader.parse(gatewaySection)).isInstanceOfSatisfying(SettingsException.class,
                    e -> {
                        assertThat(e.key()).isEqualTo("gateway.read_timeout");
                        assertThat(e.problem()).isEqualTo("must be a number of seconds from 0 to 86400, got 90000");
                    });
        }

        @Test
        void resolvesEnvironmentReferencesInTheJwtBlockByTheGatewaysRules() {
            GatewayConfig config = new GatewayConfigReader(Map.of("TTL", "30", "RBAC", "true")).parse(
                    "general_settings:\n  litellm_jwtauth:\n    public_key_ttl: os.environ/TTL\n"
                            + "    enforce_rbac: os.environ/RBAC\n");

            assertThat(config.jwtAuth().keySource().publicKeyTtl()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.jwtAuth().access().enforceRbac()).isTrue();
        }
    }
}
