package io.claimgate.gateway.limits.redis;

import io.claimgate.model.SettingsException;
import io.lettuce.core.RedisURI;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the replicas' shared rate-limit counts live, configured as LiteLLM configures its Redis: the
 * {@code REDIS_*} environment variables ({@code REDIS_URL}, or {@code REDIS_HOST}, {@code REDIS_PORT},
 * {@code REDIS_PASSWORD}, {@code REDIS_USERNAME}, {@code REDIS_DB}, {@code REDIS_SSL}, {@code REDIS_SOCKET_TIMEOUT}),
 * overridden key by key by {@code litellm_settings.cache_params} ({@code host}, {@code port}, {@code password},
 * {@code username}, {@code db}, {@code ssl}, {@code url}, {@code socket_timeout}) when its {@code type} is
 * {@code redis} (LiteLLM's default). As in LiteLLM, a {@code url} wins over host, port, password and db, and a value
 * {@code os.environ/NAME} is read from the environment. {@code litellm_settings.cache: false} switches the
 * {@code cache_params} block off, as it does in LiteLLM; the environment alone still configures Redis.
 *
 * <p>The password is never part of {@link #toString()} or any message.
 */
public final class RedisSettings {

    /** How long an admission waits for Redis before counting locally: the proxy path must not hang on Redis. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
    /**
     * How long a parallel slot lasts when its replica never gives it back (crashed, cut off): the gateway's default
     * upstream read timeout, so that a slot outlives every answer the gateway would wait for.
     */
    public static final Duration DEFAULT_SLOT_LEASE = Duration.ofSeconds(600);
    private static final String ENV_REFERENCE = "os.environ/";
    private static final String CACHE_PARAMS = "litellm_settings.cache_params";

    private final RedisURI uri;
    private final Duration timeout;
    private final int fallbackReplicas;
    private final Duration slotLease;

    private RedisSettings(RedisURI uri, Duration timeout, int fallbackReplicas, Duration slotLease) {
        this.uri = uri;
        this.timeout = timeout;
        this.fallbackReplicas = fallbackReplicas;
        this.slotLease = slotLease;
    }

    /**
     * The Redis the environment and {@code litellm_settings} name, or empty when neither names one (each replica then
     * counts alone).
     *
     * @throws SettingsException when a value is invalid (a port that is not a number, a URL that is not Redis's)
     */
    public static Optional<RedisSettings> from(Map<String, String> env, Map<String, Object> litellmSettings) {
        Objects.requireNonNull(env, "env");
        Map<String, Source> values = new HashMap<>();
        for (String key : new String[] {"url", "host", "port", "password", "username", "db", "ssl",
                "socket_timeout"}) {
            String value = env.get("REDIS_" + key.toUpperCase(Locale.ROOT));
            if (value != null && !value.isBlank()) {
                values.put(key, new Source("REDIS_" + key.toUpperCase(Locale.ROOT), value.trim()));
            }
        }
        Map<String, Object> cacheParams = cacheParams(litellmSettings);
        for (Map.Entry<String, Object> entry : cacheParams.entrySet()) {
            if (isRedisKey(entry.getKey())) {
                String value = resolve(env, CACHE_PARAMS + "." + entry.getKey(), entry.getValue());
                if (value != null) {
                    values.put(entry.getKey(), new Source(CACHE_PARAMS + "." + entry.getKey(), value));
                }
            }
        }
        RedisURI uri;
        if (values.containsKey("url")) {
            uri = fromUrl(values.get("url"));
        } else if (values.containsKey("host")) {
            uri = fromParts(values);
        } else {
            return Optional.empty();
        }
        Duration timeout = values.containsKey("socket_timeout") ? seconds(values.get("socket_timeout")) : DEFAULT_TIMEOUT;
        return Optional.of(new RedisSettings(uri, timeout, 1, DEFAULT_SLOT_LEASE));
    }

    /**
     * The replicas expected to share the limits ({@code gateway.redis_fallback_replicas}, default 1): while Redis is
     * unreachable each replica allows limit ÷ this.
     */
    public RedisSettings withFallbackReplicas(int replicas) {
        if (replicas < 1) {
            throw new SettingsException("gateway.redis_fallback_replicas", "must be at least 1, got " + replicas);
        }
        return new RedisSettings(uri, timeout, replicas, slotLease);
    }

    /** How long an admission waits for Redis before it counts locally. */
    public RedisSettings withTimeout(Duration newTimeout) {
        return new RedisSettings(uri, positive("socket_timeout", newTimeout), fallbackReplicas, slotLease);
    }

    /** How long a parallel slot its replica never gave back keeps counting. */
    public RedisSettings withSlotLease(Duration lease) {
        return new RedisSettings(uri, timeout, fallbackReplicas, positive("slot lease", lease));
    }

    /** The connection, password included: for the client only. */
    RedisURI uri() {
        return uri;
    }

    public Duration timeout() {
        return timeout;
    }

    public int fallbackReplicas() {
        return fallbackReplicas;
    }

    public Duration slotLease() {
        return slotLease;
    }

    /** Where Redis is, for logs: scheme, host, port and database, never the credentials. */
    public String location() {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    @Override
    public String toString() {
        return "RedisSettings[" + location() + ", timeout=" + timeout + ", fallbackReplicas=" + fallbackReplicas
                + ", slotLease=" + slotLease + "]";
    }

    /** The {@code cache_params} block when it configures a Redis cache, else nothing. */
    private static Map<String, Object> cacheParams(Map<String, Object> litellmSettings) {
        if (litellmSettings == null) {
            return Map.of();
        }
        Object cache = litellmSettings.get("cache");
        Object block = litellmSettings.get("cache_params");
        if (Boolean.FALSE.equals(cache) || "false".equalsIgnoreCase(String.valueOf(cache)) || block == null) {
            return Map.of();
        }
        if (!(block instanceof Map<?, ?> map)) {
            throw new SettingsException(CACHE_PARAMS, "must be a mapping");
        }
        Object type = map.get("type");
        if (type != null && !"redis".equalsIgnoreCase(String.valueOf(type).trim())) {
            return Map.of();
        }
        Map<String, Object> params = new HashMap<>();
        map.forEach((k, v) -> params.put(String.valueOf(k), v));
        return params;
    }

    private static boolean isRedisKey(String key) {
        return switch (key) {
            case "url", "host", "port", "password", "username", "db", "ssl", "socket_timeout" -> true;
            default -> false;
        };
    }

    private static String resolve(Map<String, String> env, String key, Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        if (text.startsWith(ENV_REFERENCE)) {
            String name = text.substring(ENV_REFERENCE.length());
            String referenced = env.get(name);
            if (referenced == null || referenced.isBlank()) {
                throw new SettingsException(key, "refers to environment variable " + name + ", which is not set");
            }
            return referenced.trim();
        }
        return text.isEmpty() ? null : text;
    }

    private static RedisURI fromUrl(Source url) {
        try {
            RedisURI uri = RedisURI.create(url.value());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return uri;
        } catch (RuntimeException e) {
            // The URL may hold the password: the message names the key, not the value.
            throw new SettingsException(url.key(), "is not a Redis URL: expected redis://[[username]:password@]host"
                    + "[:port][/database] or rediss://...");
        }
    }

    private static RedisURI fromParts(Map<String, Source> values) {
        RedisURI.Builder builder = RedisURI.builder().withHost(values.get("host").value())
                .withPort(values.containsKey("port") ? integer(values.get("port"), 1, 65535) : RedisURI.DEFAULT_REDIS_PORT);
        if (values.containsKey("db")) {
            builder.withDatabase(integer(values.get("db"), 0, Integer.MAX_VALUE));
        }
        if (values.containsKey("ssl")) {
            builder.withSsl(bool(values.get("ssl")));
        }
        if (values.containsKey("password")) {
            char[] password = values.get("password").value().toCharArray();
            if (values.containsKey("username")) {
                builder.withAuthentication(values.get("username").value(), password);
            } else {
                builder.withPassword(password);
            }
        }
        return builder.build();
    }

    private static int integer(Source source, int min, int max) {
        try {
            int value = Integer.parseInt(source.value());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SettingsException(source.key(), "must be a whole number from " + min + " to " + max + ", got "
                + source.value());
    }

    private static boolean bool(Source source) {
        return switch (source.value().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException(source.key(), "must be true or false, got " + source.value());
        };
    }

    /** LiteLLM's {@code socket_timeout} is in seconds, fractions allowed ({@code 0.1}). */
    private static Duration seconds(Source source) {
        try {
            double seconds = Double.parseDouble(source.value());
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofNanos((long) (seconds * 1_000_000_000L));
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SettingsException(source.key(), "must be a number of seconds above 0, e.g. 0.25, got "
                + source.value());
    }

    private static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new SettingsException(key, "must be above 0, got " + value);
        }
        return value;
    }

    /** A value and the key the operator set it under, for messages. */
    private record Source(String key, String value) {
    }
}
