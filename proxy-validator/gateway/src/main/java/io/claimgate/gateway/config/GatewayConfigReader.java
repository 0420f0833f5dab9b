package io.claimgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.claimgate.gateway.http.TrustedProxies;
import io.claimgate.gateway.limits.redis.RedisSettings;
import io.claimgate.model.AccessRules;
import io.claimgate.model.ConfigValues;
import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.RolePermission;
import io.claimgate.model.SettingsException;
import io.claimgate.validator.access.ModelCatalogue;
import io.claimgate.validator.access.RouteGroups;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a LiteLLM {@code config.yaml} into a {@link GatewayConfig}.
 *
 * <p>As in LiteLLM, {@code environment_variables} are set into the environment before anything else is read, so they
 * win over the real environment, and {@code os.environ/NAME} values are resolved against the result. References are
 * resolved only in the parts the gateway reads: a {@code model_list} entry's {@code api_key: os.environ/OPENAI_API_KEY}
 * is the LLM proxy's secret and need not exist where the gateway runs.
 *
 * <p>Every value, in {@code litellm_jwtauth} and in {@code gateway:} alike, is read by the one set of rules in
 * {@link ConfigValues}.
 *
 * <p>Keys LiteLLM knows but the gateway does not act on become warnings; unknown keys in LiteLLM's sections become
 * warnings too (LiteLLM ignores them), while an unknown key in our own {@code gateway:} section, or any invalid value,
 * is a {@link SettingsException} naming the key: a typo there would silently change where requests go.
 */
public final class GatewayConfigReader {

    /** Values read as written, for the file's structure (sections are mappings) before the environment is known. */
    private static final ConfigValues LITERAL = ConfigValues.literal();
    private static final Set<String> SECTIONS = Set.of("model_list", "general_settings", "environment_variables",
            "gateway");
    private static final Set<String> GATEWAY_KEYS = new TreeSet<>(List.of("host", "port", "upstream",
            "upstream_api_key", "connect_timeout", "read_timeout", "max_request_body_bytes", "data_dir",
            "run_migrations", "body_read_timeout", "body_min_bytes_per_second", "max_concurrent_body_reads",
            "forward_auth", "proxy_routes", "trusted_proxies"));
    private static final Set<String> FORWARD_AUTH_KEYS = Set.of("route_header");
    /** RFC 9110's token: what a header name is made of. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]+");
    /**
     * Headers that frame the message, are hop-by-hop, or carry a route, address or cookie: not where a key may go.
     * {@code x-litellm-*} (team, model, end user) and the {@code x-auth-request-*} identity headers are refused too.
     */
    private static final Set<String> NOT_A_KEY_HEADER = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "content-type", "content-encoding", "expect", "cookie", "forwarded", "x-forwarded-for",
            "x-real-ip", "x-forwarded-uri", "x-original-uri", "x-forwarded-host", "x-forwarded-proto");

    private final Map<String, String> environment;

    /** @param environment the process environment, e.g. {@code System.getenv()} */
    public GatewayConfigReader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Reads and validates the file.
     *
     * @throws SettingsException when the file cannot be read or parsed, or a value is invalid
     */
    public GatewayConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SettingsException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    /** Reads and validates YAML text; see {@link #read(Path)}. */
    public GatewayConfig parse(String yaml) {
        Map<String, Object> root = parseYaml(yaml);
        List<String> warnings = new ArrayList<>();
        for (String section : root.keySet()) {
            if (LiteLlmKeys.IGNORED_SECTIONS.contains(section)) {
                warnings.add(section + ": accepted, not used by the gateway (it belongs to the LLM proxy)");
            } else if (!SECTIONS.contains(section)) {
                warnings.add(section + ": unknown section, ignored");
            }
        }
        Map<String, String> env = mergedEnvironment(LITERAL.map("environment_variables",
                root.get("environment_variables")));
        ConfigValues values = ConfigValues.resolvingAgainst(env);
        Map<String, Object> general = values.map("general_settings", root.get("general_settings"));
        warnings.addAll(generalSettingsWarnings(general));

        boolean enableJwtAuth = values.bool("general_settings.enable_jwt_auth", general.get("enable_jwt_auth"), false);
        JwtAuthSettings jwtAuth = jwtAuth(values, env, general);
        jwtAuth.ignoredKeys().forEach(k -> warnings.add("general_settings.litellm_jwtauth." + k
                + ": accepted, not implemented by Claimgate"));
        if (!enableJwtAuth) {
            warnings.add("general_settings.enable_jwt_auth is not true: JWTs are refused, only the master key works");
        }
        String masterKey = values.string("general_settings.master_key", general.get("master_key"));
        String databaseUrl = values.string("general_settings.database_url", general.get("database_url"));
        if (databaseUrl == null) {
            databaseUrl = values.string("DATABASE_URL", env.get("DATABASE_URL"));
        }
        List<String> models = models(values, root.get("model_list"));
        Map<String, Object> gatewaySection = values.map("gateway", root.get("gateway"));
        GatewaySettings gateway = gateway(values, gatewaySection);
        gateway = gateway.withSpend(SpendConfig.read(values, gatewaySection, root.get("model_list"), general)
                .withRedis(redis(values, env, root.get("litellm_settings"), gatewaySection, gateway).orElse(null)));
        ModelCatalogue catalogue = ModelCatalogueReader.read(values, root.get("model_list"),
                root.get("router_settings"), root.get("litellm_settings"));
        DefaultUserParams defaultUserParams = DefaultUserParams.read(values,
                values.map("litellm_settings", root.get("litellm_settings")).get("default_internal_user_params"));
        return new GatewayConfig(enableJwtAuth, jwtAuth, masterKey, databaseUrl, models, gateway, warnings,
                catalogue, keyHeaderName(values, general), defaultUserParams);
    }

    private static Map<String, Object> parseYaml(String yaml) {
        if (yaml.isBlank()) {
            return Map.of();
        }
        try {
            Object tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
            if (tree == null) {
                return Map.of();
            }
            return LITERAL.map("config.yaml", tree);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new SettingsException("config.yaml", "is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    /** LiteLLM sets {@code environment_variables} into {@code os.environ}: they override the real environment. */
    private Map<String, String> mergedEnvironment(Map<String, Object> configured) {
        ConfigValues real = ConfigValues.resolvingAgainst(environment);
        Map<String, String> merged = new HashMap<>(environment);
        for (Map.Entry<String, Object> e : configured.entrySet()) {
            String value = real.string("environment_variables." + e.getKey(), e.getValue());
            if (value != null) {
                merged.put(e.getKey(), value);
            }
        }
        return merged;
    }

    private static List<String> generalSettingsWarnings(Map<String, Object> general) {
        Set<String> acted = Set.of("enable_jwt_auth", "litellm_jwtauth", "role_permissions", "enforce_rbac",
                "master_key", "database_url", "token_rate_limit_type", "litellm_key_header_name", "disable_spend_logs");
        List<String> warnings = new ArrayList<>();
        for (String key : general.keySet()) {
            if (LiteLlmKeys.IGNORED_GENERAL_SETTINGS.contains(key)) {
                warnings.add("general_settings." + key + ": accepted, not used by the gateway");
            } else if (!acted.contains(key)) {
                warnings.add("general_settings." + key + ": unknown key, ignored");
            }
        }
        return warnings;
    }

    /**
     * {@code general_settings.litellm_key_header_name}, lower-case, or {@code null}. A name that is not an HTTP header
     * name, or that names a header the gateway reads for something else, is refused: a credential there would be both
     * stripped and read as a team, a model, a body's length or a client address.
     */
    private static String keyHeaderName(ConfigValues values, Map<String, Object> general) {
        String key = "general_settings.litellm_key_header_name";
        Object raw = general.get("litellm_key_header_name");
        String name = values.string(key, raw);
        if (name == null) {
            if (raw instanceof String) {
                // LiteLLM would look for a header named "" and find no key in any request.
                throw new SettingsException(key, "is blank; name a header, such as x-litellm-key, or leave it out");
            }
            return null;
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (!HEADER_NAME.matcher(lower).matches()) {
            throw new SettingsException(key, "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)");
        }
        if (NOT_A_KEY_HEADER.contains(lower) || lower.startsWith("x-litellm-") && !lower.equals("x-litellm-key")
                && !lower.equals("x-litellm-api-key") || lower.startsWith("x-auth-request-")) {
            throw new SettingsException(key, "names " + lower + ", a header the gateway reads or sets for something "
                    + "else; choose another name, such as x-litellm-key");
        }
        return lower;
    }

    /**
     * The JWT settings: the {@code litellm_jwtauth} block with its references resolved first (so that a refused
     * key is judged by the value it stands for), {@code general_settings.enforce_rbac} where the block leaves it
     * unset (LiteLLM reads it inside the block), {@code role_permissions} and the key source variables.
     */
    private static JwtAuthSettings jwtAuth(ConfigValues values, Map<String, String> env,
                                           Map<String, Object> general) {
        String section = "general_settings";
        Map<String, Object> block = values.resolved(section + ".litellm_jwtauth",
                values.map(section + ".litellm_jwtauth", general.get("litellm_jwtauth")));
        JwtAuthSettings settings;
        try {
            settings = JwtAuthSettings.fromLiteLlm(block);
        } catch (SettingsException e) {
            throw e.under(section);
        }
        AccessRules access = settings.access().withRolePermissions(rolePermissions(values,
                general.get("role_permissions")));
        if (!block.containsKey("enforce_rbac") && general.get("enforce_rbac") != null) {
            access = access.withEnforceRbac(values.bool(section + ".enforce_rbac", general.get("enforce_rbac"), false));
        }
        return settings.with(access).environment(env);
    }

    private static List<RolePermission> rolePermissions(ConfigValues values, Object value) {
        if (value == null) {
            return List.of();
        }
        String key = "general_settings.role_permissions";
        if (!(value instanceof List<?> list)) {
            throw new SettingsException(key, "expected a list of {role, models, routes}, got "
                    + ConfigValues.describe(value));
        }
        List<RolePermission> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            Map<String, Object> entry = values.map(at, list.get(i));
            for (String k : entry.keySet()) {
                if (!Set.of("role", "models", "routes").contains(k)) {
                    throw new SettingsException(at + "." + k, "unknown key; allowed: role, models, routes");
                }
            }
            // Absent models or routes mean no restriction, as in LiteLLM: null, not an empty list.
            out.add(new RolePermission(values.role(at + ".role", entry.get("role")),
                    values.strings(at + ".models", entry.get("models"), null),
                    values.strings(at + ".routes", entry.get("routes"), null)));
        }
        return out;
    }

    private static List<String> models(ConfigValues values, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new SettingsException("model_list", "expected a list of models, got " + ConfigValues.describe(value));
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "model_list[" + i + "].model_name";
            names.add(values.requiredString(at, values.map("model_list[" + i + "]", list.get(i)).get("model_name")));
        }
        return List.copyOf(names);
    }

    /**
     * The Redis the replicas share their rate limits in, configured as LiteLLM configures its Redis: {@code REDIS_*}
     * variables, overridden by {@code litellm_settings.cache_params}.
     */
    private static Optional<RedisSettings> redis(ConfigValues values, Map<String, String> env, Object litellmSettings,
                                                 Map<String, Object> gatewaySection, GatewaySettings gateway) {
        int replicas = (int) values.number("gateway.redis_fallback_replicas",
                gatewaySection.get("redis_fallback_replicas"), 1, 1, 10_000);
        // A parallel slot must outlive the longest answer the upstream may stream.
        Duration lease = gateway.readTimeout().compareTo(RedisSettings.DEFAULT_SLOT_LEASE) > 0
                ? gateway.readTimeout() : RedisSettings.DEFAULT_SLOT_LEASE;
        return RedisSettings.from(env, values.map("litellm_settings", litellmSettings))
                .map(redis -> redis.withFallbackReplicas(replicas).withSlotLease(lease));
    }

    private static GatewaySettings gateway(ConfigValues values, Map<String, Object> section) {
        for (String key : section.keySet()) {
            if (!GATEWAY_KEYS.contains(key) && !SpendConfig.KEYS.contains(key)) {
                Set<String> allowed = new TreeSet<>(GATEWAY_KEYS);
                allowed.addAll(SpendConfig.KEYS);
                throw new SettingsException("gateway." + key, "unknown key; allowed: " + String.join(", ", allowed));
            }
        }
        GatewaySettings d = GatewaySettings.defaults();
        String host = values.string("gateway.host", section.get("host"));
        long port = values.number("gateway.port", section.get("port"), d.port(), 0, 65_535);
        long maxBody = values.number("gateway.max_request_body_bytes", section.get("max_request_body_bytes"),
                d.maxRequestBodyBytes());
        if (maxBody < 1) {
            throw new SettingsException("gateway.max_request_body_bytes", "must be at least 1, got " + maxBody);
        }
        String dataDir = values.string("gateway.data_dir", section.get("data_dir"));
        return new GatewaySettings(host == null ? d.host() : host, (int) port,
                upstream(values.string("gateway.upstream", section.get("upstream"))),
                values.string("gateway.upstream_api_key", section.get("upstream_api_key")),
                values.positiveSeconds("gateway.connect_timeout", section.get("connect_timeout"), d.connectTimeout()),
                values.positiveSeconds("gateway.read_timeout", section.get("read_timeout"), d.readTimeout()),
                maxBody, dataDir == null ? d.dataDir() : Path.of(dataDir),
                values.bool("gateway.run_migrations", section.get("run_migrations"), d.runMigrations()),
                bodyReads(values, section, d.bodyReads()), forwardAuthRoute(values, section.get("forward_auth")),
                proxyRoutes(values, section.get("proxy_routes")),
                trustedProxies(values, section.get("trusted_proxies")));
    }

    private static BodyReadLimits bodyReads(ConfigValues values, Map<String, Object> section, BodyReadLimits d) {
        Duration timeout = values.positiveSeconds("gateway.body_read_timeout", section.get("body_read_timeout"),
                d.timeout());
        long rate = values.number("gateway.body_min_bytes_per_second", section.get("body_min_bytes_per_second"),
                d.minBytesPerSecond());
        if (rate < 0) {
            throw new SettingsException("gateway.body_min_bytes_per_second", "must be 0 (off) or more, got " + rate);
        }
        long concurrent = values.number("gateway.max_concurrent_body_reads", section.get("max_concurrent_body_reads"),
                d.maxConcurrent(), 1, 100_000);
        return new BodyReadLimits(timeout, rate, (int) concurrent);
    }

    private static RouteSource forwardAuthRoute(ConfigValues values, Object value) {
        Map<String, Object> section = values.map("gateway.forward_auth", value);
        for (String key : section.keySet()) {
            if (!FORWARD_AUTH_KEYS.contains(key)) {
                throw new SettingsException("gateway.forward_auth." + key, "unknown key; allowed: route_header");
            }
        }
        String header = values.string("gateway.forward_auth.route_header", section.get("route_header"));
        if (header == null) {
            return GatewaySettings.DEFAULT_FORWARD_AUTH_ROUTE;
        }
        RouteSource source = RouteSource.of(header);
        if (source == null) {
            throw new SettingsException("gateway.forward_auth.route_header",
                    "must be x-original-uri (nginx), x-forwarded-uri (Traefik) or path (Envoy), got '" + header + "'");
        }
        return source;
    }

    private static List<String> proxyRoutes(ConfigValues values, Object value) {
        List<String> routes = values.strings("gateway.proxy_routes", value, GatewaySettings.DEFAULT_PROXY_ROUTES);
        for (String route : routes) {
            if (!route.startsWith("/") && !RouteGroups.isGroup(route)) {
                throw new SettingsException("gateway.proxy_routes", "'" + route
                        + "' is neither a route (starting with /) nor one of LiteLLM's route groups");
            }
        }
        return routes;
    }

    private static List<String> trustedProxies(ConfigValues values, Object value) {
        List<String> cidrs = values.strings("gateway.trusted_proxies", value, List.of());
        try {
            TrustedProxies.of(cidrs);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("gateway.trusted_proxies", e.getMessage());
        }
        return cidrs;
    }

    private static URI upstream(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                // The value may carry a password: never echoed.
                throw new SettingsException("gateway.upstream",
                        "must be an http(s) URL without query, e.g. http://127.0.0.1:4001");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SettingsException("gateway.upstream", "is not a URL");
        }
    }
}
