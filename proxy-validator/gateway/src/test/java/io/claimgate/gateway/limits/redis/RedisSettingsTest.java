package io.claimgate.gateway.limits.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.model.SettingsException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    private static Map<String, Object> litellm(Map<String, Object> cacheParams) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("cache", true);
        settings.put("cache_params", cacheParams);
        return settings;
    }

    @Nested
    class NothingConfigured {

        @Test
        void isEmptyWithoutRedisVariablesOrCacheParams() {
            assertThat(RedisSettings.from(Map.of("PATH", "/usr/bin"), Map.of())).isEmpty();
            assertThat(RedisSettings.from(Map.of(), null)).isEmpty();
        }

        @Test
        void isEmptyWhenCacheParamsConfigureAnotherCache() {
            // given LiteLLM's in-memory cache
            Map<String, Object> settings = litellm(Map.of("type", "local", "host", "cache.internal"));

            // then no Redis
            assertThat(RedisSettings.from(Map.of(), settings)).isEmpty();
        }

        @Test
        void ignoresCacheParamsWhenTheCacheIsSwitchedOff() {
            Map<String, Object> settings = litellm(Map.of("type", "redis", "host", "cache.internal"));
            settings.put("cache", false);

            assertThat(RedisSettings.from(Map.of(), settings)).isEmpty();
        }
    }

    @Nested
    class FromTheEnvironment {

        @Test
        void readsHostPortPasswordAndDatabase() {
            // given LiteLLM's variables
            Map<String, String> env = Map.of("REDIS_HOST", "redis.internal", "REDIS_PORT", "6380",
                    "REDIS_PASSWORD", "s3cret-pw", "REDIS_DB", "2");

            // when
            RedisSettings settings = RedisSettings.from(env, Map.of()).orElseThrow();

            // then
            assertThat(settings.uri().getHost()).isEqualTo("redis.internal");
            assertThat(settings.uri().getPort()).isEqualTo(6380);
            assertThat(settings.uri().getDatabase()).isEqualTo(2);
            assertThat(settings.uri().getPassword()).isEqualTo("s3cret-pw".toCharArray());
            assertThat(settings.uri().isSsl()).isFalse();
        }

        @Test
        void defaultsThePortToRedisDefaultAsLiteLlmDoes() {
            RedisSettings settings = RedisSettings.from(Map.of("REDIS_HOST", "redis.internal"), Map.of()).orElseThrow();

            assertThat(settings.uri().getPort()).isEqualTo(6379);
        }

        @Test
        void readsUsernameAndTls() {
            Map<String, String> env = Map.of("REDIS_HOST", "redis.internal", "REDIS_USERNAME", "gateway",
                    "REDIS_PASSWORD", "pw", "REDIS_SSL", "True");

            RedisSettings settings = RedisSettings.from(env, Map.of()).orElseThrow();

            assertThat(settings.uri().getUsername()).isEqualTo("gateway");
            assertThat(settings.uri().isSsl()).isTrue();
            assertThat(settings.location()).startsWith("rediss://");
        }

        @Test
        void aUrlWinsOverHostAndPort() {
            // given both, as LiteLLM allows
            Map<String, String> env = Map.of("REDIS_URL", "redis://:url-pw@from-url:7000/3", "REDIS_HOST", "from-host",
                    "REDIS_PORT", "6379");

            // when
            RedisSettings settings = RedisSettings.from(env, Map.of()).orElseThrow();

            // then
            assertThat(settings.uri().getHost()).isEqualTo("from-url");
            assertThat(settings.uri().getPort()).isEqualTo(7000);
            assertThat(settings.uri().getDatabase()).isEqualTo(3);
            assertThat(settings.uri().getPassword()).isEqualTo("url-pw".toCharArray());
        }

        @Test
        void readsLiteLlmsSocketTimeoutInSeconds() {
            Map<String, String> env = Map.of("REDIS_HOST", "redis.internal", "REDIS_SOCKET_TIMEOUT", "0.1");

            assertThat(RedisSettings.from(env, Map.of()).orElseThrow().timeout()).isEqualTo(Duration.ofMillis(100));
        }

        @Test
        void hasShortTimeoutOneReplicaAndTenMinuteLeasesByDefault() {
            RedisSettings settings = RedisSettings.from(Map.of("REDIS_HOST", "h"), Map.of()).orElseThrow();

            assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(settings.fallbackReplicas()).isEqualTo(1);
            assertThat(settings.slotLease()).isEqualTo(Duration.ofMinutes(10));
        }
    }

    @Nested
    class FromCacheParams {

        @Test
        void readsTheRedisBlockOfLiteLlmSettings() {
            // given config.yaml's litellm_settings.cache_params, type defaulting to redis
            Map<String, Object> settings = litellm(Map.of("host", "cache.internal", "port", 6381, "password", "pw",
                    "ttl", 600));

            // when
            RedisSettings redis = RedisSettings.from(Map.of(), settings).orElseThrow();

            // then
            assertThat(redis.uri().getHost()).isEqualTo("cache.internal");
            assertThat(redis.uri().getPort()).isEqualTo(6381);
        }

        @Test
        void overridesTheEnvironmentKeyByKey() {
            // given the environment names a host and password, cache_params another host
            Map<String, String> env = Map.of("REDIS_HOST", "env-host", "REDIS_PASSWORD", "env-pw");
            Map<String, Object> settings = litellm(Map.of("type", "redis", "host", "config-host"));

            // when
            RedisSettings redis = RedisSettings.from(env, settings).orElseThrow();

            // then cache_params' host, the environment's password
            assertThat(redis.uri().getHost()).isEqualTo("config-host");
            assertThat(redis.uri().getPassword()).isEqualTo("env-pw".toCharArray());
        }

        @Test
        void resolvesEnvironmentReferences() {
            Map<String, String> env = Map.of("MY_REDIS_PW", "from-env");
            Map<String, Object> settings = litellm(Map.of("host", "h", "password", "os.environ/MY_REDIS_PW"));

            RedisSettings redis = RedisSettings.from(env, settings).orElseThrow();

            assertThat(redis.uri().getPassword()).isEqualTo("from-env".toCharArray());
        }

        @Test
        void refusesAReferenceToAMissingVariable() {
            Map<String, Object> settings = litellm(Map.of("host", "h", "password", "os.environ/MISSING_PW"));

            assertThatThrownBy(() -> RedisSettings.from(Map.of(), settings))
                    .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.key())
                            .isEqualTo("litellm_settings.cache_params.password"))
                    .hasMessageContaining("MISSING_PW");
        }
    }

    @Nested
    class InvalidValues {

        @Test
        void refusesAPortThatIsNotANumberNamingTheVariable() {
            assertThatThrownBy(() -> RedisSettings.from(Map.of("REDIS_HOST", "h", "REDIS_PORT", "six"), Map.of()))
                    .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.key()).isEqualTo("REDIS_PORT"));
        }

        @Test
        void refusesAMalformedUrlWithoutRepeatingIt() {
            // given a URL whose password must not reach a log
            Map<String, String> env = Map.of("REDIS_URL", "http://user:leaked-pw@host");

            // then
            assertThatThrownBy(() -> RedisSettings.from(env, Map.of()))
                    .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.key()).isEqualTo("REDIS_URL"))
                    .message().doesNotContain("leaked-pw");
        }

        @Test
        void refusesFewerThanOneFallbackReplica() {
            RedisSettings settings = RedisSettings.from(Map.of("REDIS_HOST", "h"), Map.of()).orElseThrow();

            assertThatThrownBy(() -> settings.withFallbackReplicas(0))
                    .isInstanceOfSatisfying(SettingsException.class,
                            e -> assertThat(e.key()).isEqualTo("gateway.redis_fallback_replicas"));
        }

        @Test
        void refusesATimeoutOfZero() {
            RedisSettings settings = RedisSettings.from(Map.of("REDIS_HOST", "h"), Map.of()).orElseThrow();

            assertThatThrownBy(() -> settings.withTimeout(Duration.ZERO)).isInstanceOf(SettingsException.class);
        }
    }

    @Test
    void neverShowsThePassword() {
        RedisSettings settings = RedisSettings.from(Map.of("REDIS_URL", "redis://user:top-secret@h:6379/0"), Map.of())
                .orElseThrow();

        assertThat(settings.toString()).doesNotContain("top-secret").contains("redis://h:6379/0");
        assertThat(settings.location()).doesNotContain("top-secret");
    }
}
