package io.claimgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.RolePermission;
import io.claimgate.model.SettingsException;
import io.claimgate.gateway.http.TrustedProxies;
import io.claimgate.validator.access.RouteGroups;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a LiteLLM {@code config.yaml} into a {@link GatewayConfig}.
 *
 * <p>As in LiteLLM, {@code environment_variables} are set into the environment before anything else is read, so they
 * win over the real environment, and {@code os.environ/NAME} values are resolved against the result. References are
 * resolved only in the parts the gateway reads: a {@code model_list} entry's {@code api_key: os.environ/OPENAI_API_KEY}
 * is the LLM proxy's secret and need not exist where the gateway runs.
 *
 * <p>Keys LiteLLM knows but the gateway does not act on become warnings; unknown keys in LiteLLM's sections become
 * warnings too (LiteLLM ignores them), while an unknown key in our own {@code gateway:} section, or any invalid value,
 * is a {@link SettingsException} naming the key: a typo there would silently change where requests go.
 */
public final class GatewayConfigReader {

    private static final String ENV_REFERENCE = "os.environ/";
    private static final Set<String> SECTIONS = Set.of("model_list", "general_settings", "environment_variables",
            "gateway");
    private static final Set<String> GATEWAY_KEYS = new TreeSet<>(List.of("host", "port", "upstream",
            "upstream_api_key", "connect_timeout", "read_timeout", "max_request_body_bytes", "data_dir",
            "run_migrations", "body_read_timeout", "body_min_bytes_per_second", "max_concurrent_body_reads",
            "forward_auth", "proxy_routes", "trusted_proxies"));
    private static final Set<String> FORWARD_AUTH_KEYS = Set.of("route_header");

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
        Map<String, String> env = mergedEnvironment(map("environment_variables", root.get("environment_variables")));
        Map<String, Object> general = map("general_settings", root.get("general_settings"));
        warnings.addAll(generalSettingsWarnings(general));

        boolean enableJwtAuth = bool(env, "general_settings.enable_jwt_auth", general.get("enable_jwt_auth"), false);
        JwtAuthSettings jwtAuth = jwtAuth(env, general);
        jwtAuth.ignoredKeys().forEach(k -> warnings.add("general_settings.litellm_jwtauth." + k
                + ": accepted, not implemented by Claimgate"));
        if (!enableJwtAuth) {
            warnings.add("general_settings.enable_jwt_auth is not true: JWTs are refused, only the master key works");
        }
        String masterKey = string(env, "general_settings.master_key", general.get("master_key"));
        String databaseUrl = string(env, "general_settings.database_url", general.get("database_url"));
        if (databaseUrl == null) {
            databaseUrl = blankToNull(env.get("DATABASE_URL"));
        }
        List<String> models = models(env, root.get("model_list"));
        GatewaySettings gateway = gateway(env, map("gateway", root.get("gateway")))
                .withSpend(SpendConfig.read(map("gateway", root.get("gateway")), root.get("model_list"), general));
        return new GatewayConfig(enableJwtAuth, jwtAuth, masterKey, databaseUrl, models, gateway, warnings);
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
            return map("config.yaml", tree);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new SettingsException("config.yaml", "is not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    /** LiteLLM sets {@code environment_variables} into {@code os.environ}: they override the real environment. */
    private Map<String, String> mergedEnvironment(Map<String, Object> configured) {
        Map<String, String> merged = new HashMap<>(environment);
        for (Map.Entry<String, Object> e : configured.entrySet()) {
            String value = string(environment, "environment_variables." + e.getKey(), e.getValue());
            if (value != null) {
                merged.put(e.getKey(), value);
            }
        }
        return merged;
    }

    private static List<String> generalSettingsWarnings(Map<String, Object> general) {
        Set<String> acted = Set.of("enable_jwt_auth", "litellm_jwtauth", "role_permissions", "enforce_rbac",
                "master_key", "database_url", "token_rate_limit_type");
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

    private static JwtAuthSettings jwtAuth(Map<String, String> env, Map<String, Object> general) {
        String prefix = "general_settings.litellm_jwtauth";
        Map<String, Object> block = resolved(env, prefix, map(prefix, general.get("litellm_jwtauth")));
        try {
            JwtAuthSettings.Builder builder = JwtAuthSettings.fromLiteLlm(block);
            // LiteLLM reads enforce_rbac inside litellm_jwtauth; a general_settings value is honoured when that is unset.
            if (!block.containsKey("enforce_rbac") && general.get("enforce_rbac") != null) {
                builder.enforceRbac(bool(env, "general_settings.enforce_rbac", general.get("enforce_rbac"), false));
            }
            builder.rolePermissions(rolePermissions(env, general.get("role_permissions")));
            builder.environment(env);
            return builder.build();
        } catch (SettingsException e) {
            String key = e.key();
            if (key.startsWith("litellm_jwtauth.")) {
                key = key.substring("litellm_jwtauth.".length());
            }
            boolean environmentKey = key.equals(JwtAuthSettings.ENV_PUBLIC_KEY_URL)
                    || key.equals(JwtAuthSettings.ENV_AUDIENCE) || key.equals(JwtAuthSettings.ENV_ISSUER)
                    || key.startsWith("general_settings.");
            String path = environmentKey ? key : prefix + "." + key;
            throw new SettingsException(path, e.getMessage().substring(e.key().length() + 2));
        }
    }

    private static List<RolePermission> rolePermissions(Map<String, String> env, Object value) {
        if (value == null) {
            return List.of();
        }
        String key = "general_settings.role_permissions";
        if (!(value instanceof List<?> list)) {
            throw new SettingsException(key, "expected a list of {role, models, routes}, got " + describe(value));
        }
        List<RolePermission> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = key + "[" + i + "]";
            Map<String, Object> entry = map(at, list.get(i));
            for (String k : entry.keySet()) {
                if (!Set.of("role", "models", "routes").contains(k)) {
                    throw new SettingsException(at + "." + k, "unknown key; allowed: role, models, routes");
                }
            }
            String wire = string(env, at + ".role", entry.get("role"));
            if (wire == null) {
                throw new SettingsException(at + ".role", "is required");
            }
            ProxyRole role = ProxyRole.fromWireValue(wire).orElseThrow(() -> new SettingsException(at + ".role",
                    "unknown role '" + wire + "'"));
            out.add(new RolePermission(role, strings(env, at + ".models", entry.get("models")),
                    strings(env, at + ".routes", entry.get("routes"))));
        }
        return out;
    }

    private static List<String> models(Map<String, String> env, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new SettingsException("model_list", "expected a list of models, got " + describe(value));
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "model_list[" + i + "].model_name";
            String name = string(env, at, map("model_list[" + i + "]", list.get(i)).get("model_name"));
            if (name == null) {
                throw new SettingsException(at, "is required");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static GatewaySettings gateway(Map<String, String> env, Map<String, Object> section) {
        for (String key : section.keySet()) {
            if (!GATEWAY_KEYS.contains(key) && !SpendConfig.KEYS.contains(key)) {
                throw new SettingsException("gateway." + key, "unknown key; allowed: " + String.join(", ",
                        GATEWAY_KEYS));
            }
        }
        GatewaySettings d = GatewaySettings.defaults();
        String host = string(env, "gateway.host", section.get("host"));
        long port = number(env, "gateway.port", section.get("port"), d.port());
        if (port < 0 || port > 65535) {
            throw new SettingsException("gateway.port", "must be between 0 and 65535, got " + port);
        }
        long maxBody = number(env, "gateway.max_request_body_bytes", section.get("max_request_body_bytes"),
                d.maxRequestBodyBytes());
        if (maxBody < 1) {
            throw new SettingsException("gateway.max_request_body_bytes", "must be at least 1, got " + maxBody);
        }
        String dataDir = string(env, "gateway.data_dir", section.get("data_dir"));
        return new GatewaySettings(host == null ? d.host() : host, (int) port,
                upstream(string(env, "gateway.upstream", section.get("upstream"))),
                string(env, "gateway.upstream_api_key", section.get("upstream_api_key")),
                seconds(env, "gateway.connect_timeout", section.get("connect_timeout"), d.connectTimeout()),
                seconds(env, "gateway.read_timeout", section.get("read_timeout"), d.readTimeout()),
                maxBody, dataDir == null ? d.dataDir() : Path.of(dataDir),
                bool(env, "gateway.run_migrations", section.get("run_migrations"), d.runMigrations()),
                bodyReads(env, section, d.bodyReads()), forwardAuthRoute(env, section.get("forward_auth")),
                proxyRoutes(env, section.get("proxy_routes")), trustedProxies(env, section.get("trusted_proxies")));
    }

    private static BodyReadLimits bodyReads(Map<String, String> env, Map<String, Object> section,
                                            BodyReadLimits d) {
        Duration timeout = seconds(env, "gateway.body_read_timeout", section.get("body_read_timeout"), d.timeout());
        if (timeout.isZero() || timeout.isNegative()) {
            throw new SettingsException("gateway.body_read_timeout", "must be positive");
        }
        long rate = number(env, "gateway.body_min_bytes_per_second", section.get("body_min_bytes_per_second"),
                d.minBytesPerSecond());
        if (rate < 0) {
            throw new SettingsException("gateway.body_min_bytes_per_second", "must be 0 (off) or more, got " + rate);
        }
        long concurrent = number(env, "gateway.max_concurrent_body_reads", section.get("max_concurrent_body_reads"),
                d.maxConcurrent());
        if (concurrent < 1 || concurrent > 100_000) {
            throw new SettingsException("gateway.max_concurrent_body_reads",
                    "must be between 1 and 100000, got " + concurrent);
        }
        return new BodyReadLimits(timeout, rate, (int) concurrent);
    }

    private static RouteSource forwardAuthRoute(Map<String, String> env, Object value) {
        Map<String, Object> section = map("gateway.forward_auth", value);
        for (String key : section.keySet()) {
            if (!FORWARD_AUTH_KEYS.contains(key)) {
                throw new SettingsException("gateway.forward_auth." + key, "unknown key; allowed: route_header");
            }
        }
        String header = string(env, "gateway.forward_auth.route_header", section.get("route_header"));
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

    private static List<String> proxyRoutes(Map<String, String> env, Object value) {
        if (value == null) {
            return GatewaySettings.DEFAULT_PROXY_ROUTES;
        }
        List<String> routes = strings(env, "gateway.proxy_routes", value);
        for (String route : routes) {
            if (!route.startsWith("/") && !RouteGroups.isGroup(route)) {
                throw new SettingsException("gateway.proxy_routes", "'" + route
                        + "' is neither a route (starting with /) nor one of LiteLLM's route groups");
            }
        }
        return routes;
    }

    private static List<String> trustedProxies(Map<String, String> env, Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> cidrs = strings(env, "gateway.trusted_proxies", value);
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

    // ---- value readers: YAML shapes to typed values, os.environ/ resolved, errors naming the key ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String key, Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new SettingsException(key, "expected a mapping, got " + describe(value));
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new SettingsException(key, "keys must be strings, got " + describe(k));
            }
        }
        return (Map<String, Object>) m;
    }

    /** A copy of a mapping with every {@code os.environ/} reference in it resolved, recursively. */
    private static Map<String, Object> resolved(Map<String, String> env, String key, Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, resolvedValue(env, key + "." + k, v)));
        return out;
    }

    private static Object resolvedValue(Map<String, String> env, String key, Object value) {
        if (value instanceof String s) {
            return reference(env, key, s);
        }
        if (value instanceof Map<?, ?>) {
            return resolved(env, key, map(key, value));
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(resolvedValue(env, key + "[" + i + "]", list.get(i)));
            }
            return out;
        }
        return value;
    }

    private static String reference(Map<String, String> env, String key, String value) {
        if (!value.startsWith(ENV_REFERENCE)) {
            return value;
        }
        String name = value.substring(ENV_REFERENCE.length());
        String resolved = env.get(name);
        if (resolved == null) {
            throw new SettingsException(key, "refers to environment variable " + name + ", which is not set");
        }
        return resolved;
    }

    private static String string(Map<String, String> env, String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return blankToNull(reference(env, key, s));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new SettingsException(key, "expected a string, got " + describe(value));
    }

    private static List<String> strings(Map<String, String> env, String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String) {
            return List.of(string(env, key, value));
        }
        if (!(value instanceof Collection<?> c)) {
            throw new SettingsException(key, "expected a list of strings, got " + describe(value));
        }
        List<String> out = new ArrayList<>();
        for (Object o : c) {
            String s = string(env, key, o);
            if (s == null) {
                throw new SettingsException(key, "must not contain empty entries");
            }
            out.add(s);
        }
        return out;
    }

    private static boolean bool(Map<String, String> env, String key, Object value, boolean fallback) {
        Object v = value instanceof String s ? reference(env, key, s) : value;
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new SettingsException(key, "expected true or false, got " + describe(v));
    }

    private static long number(Map<String, String> env, String key, Object value, long fallback) {
        Object v = value instanceof String s ? reference(env, key, s) : value;
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new SettingsException(key, "expected a whole number, got " + describe(v));
    }

    private static Duration seconds(Map<String, String> env, String key, Object value, Duration fallback) {
        Object v = value instanceof String s ? reference(env, key, s) : value;
        if (v == null) {
            return fallback;
        }
        double s;
        try {
            s = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "expected a number of seconds, got " + describe(v));
        }
        if (!Double.isFinite(s) || s <= 0 || s > 86_400) {
            throw new SettingsException(key, "must be more than 0 and at most 86400 seconds, got " + v);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value.getClass().getSimpleName().toLowerCase() + " '" + value + "'";
    }
}
