package io.claimgate.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code gateway:} section of {@code config.yaml}: what LiteLLM has no key for because LiteLLM is the proxy itself.
 *
 * @param host                where to listen; default {@code 127.0.0.1} so that nothing is exposed by accident
 * @param port                where to listen; default 4000, LiteLLM's port
 * @param upstream            the LLM proxy requests are forwarded to, or {@code null} for forward-auth only
 * @param upstreamApiKey      the credential sent upstream as {@code Authorization: Bearer ...}, or {@code null}
 * @param connectTimeout      how long to wait for a connection to the upstream
 * @param readTimeout         how long the upstream may stay silent while answering (streams included)
 * @param maxRequestBodyBytes larger request bodies are refused with 413
 * @param dataDir             where the embedded PostgreSQL keeps its data when no database URL is set
 * @param runMigrations       whether the schema is migrated at start
 * @param bodyReads           deadline, minimum rate and concurrency of request body reads
 * @param forwardAuthRoute    where {@code /auth} reads the route ({@code forward_auth.route_header})
 * @param proxyRoutes         routes and route groups the reverse proxy forwards for callers who are not proxy admins;
 *                            default {@link #DEFAULT_PROXY_ROUTES}
 * @param trustedProxies      CIDRs of front proxies whose {@code X-Forwarded-For} is kept; default none
 * @param spend               rate limits, spend recording and prices ({@link SpendConfig}); default on
 */
public record GatewaySettings(String host, int port, URI upstream, String upstreamApiKey, Duration connectTimeout,
                              Duration readTimeout, long maxRequestBodyBytes, Path dataDir, boolean runMigrations,
                              BodyReadLimits bodyReads, RouteSource forwardAuthRoute, List<String> proxyRoutes,
                              List<String> trustedProxies, SpendConfig spend) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 4000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(600);
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 10L * 1024 * 1024;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /**
     * nginx's header. Safe with every shipped recipe: nginx overwrites it; Traefik and Envoy do not pass a client's
     * copy unless told to, and when one arrives next to Traefik's {@code X-Forwarded-Uri} the two must agree.
     */
    public static final RouteSource DEFAULT_FORWARD_AUTH_ROUTE = RouteSource.X_ORIGINAL_URI;
    /**
     * The inference routes whose every model the gateway reads (path, query, body): chat, completions, embeddings,
     * images, audio, moderations, rerank, responses, Anthropic's messages and Google's generateContent. LiteLLM's
     * wider {@code llm_api_routes} also holds routes whose model the upstream takes from somewhere the gateway cannot
     * see (a batch's uploaded file, a vector store, an assistant, a provider pass-through path such as
     * {@code /bedrock/model/{id}/invoke}, MCP tools, agents); an operator adds those on purpose.
     */
    public static final List<String> DEFAULT_PROXY_ROUTES = List.of(
            "/chat/completions", "/v1/chat/completions", "/engines/{model}/chat/completions",
            "/openai/deployments/{model}/chat/completions",
            "/completions", "/v1/completions", "/engines/{model}/completions",
            "/openai/deployments/{model}/completions",
            "/embeddings", "/v1/embeddings", "/engines/{model}/embeddings", "/openai/deployments/{model}/embeddings",
            "/images/generations", "/v1/images/generations", "/openai/deployments/{model}/images/generations",
            "/images/edits", "/v1/images/edits",
            "/audio/transcriptions", "/v1/audio/transcriptions", "/openai/deployments/{model}/audio/transcriptions",
            "/audio/speech", "/v1/audio/speech", "/openai/deployments/{model}/audio/speech",
            "/moderations", "/v1/moderations",
            "/rerank", "/v1/rerank", "/v2/rerank",
            "/responses", "/v1/responses", "/openai/v1/responses",
            "/v1/messages", "/v1/messages/count_tokens",
            "/v1beta/models/{model_name:path}:generateContent",
            "/v1beta/models/{model_name:path}:streamGenerateContent",
            "/v1beta/models/{model_name:path}:countTokens",
            "/models/{model_name:path}:generateContent", "/models/{model_name:path}:streamGenerateContent",
            "/models/{model_name:path}:countTokens");

    public GatewaySettings {
        Objects.requireNonNull(bodyReads, "bodyReads");
        Objects.requireNonNull(forwardAuthRoute, "forwardAuthRoute");
        proxyRoutes = List.copyOf(proxyRoutes);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(spend, "spend");
    }

    /** Without a word on spend: {@link SpendConfig#defaults()}. */
    public GatewaySettings(String host, int port, URI upstream, String upstreamApiKey, Duration connectTimeout,
                           Duration readTimeout, long maxRequestBodyBytes, Path dataDir, boolean runMigrations,
                           BodyReadLimits bodyReads, RouteSource forwardAuthRoute, List<String> proxyRoutes,
                           List<String> trustedProxies) {
        this(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout, maxRequestBodyBytes, dataDir,
                runMigrations, bodyReads, forwardAuthRoute, proxyRoutes, trustedProxies, SpendConfig.defaults());
    }

    /** Every default; no upstream. */
    public static GatewaySettings defaults() {
        return new GatewaySettings(DEFAULT_HOST, DEFAULT_PORT, null, null, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT, DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_DATA_DIR, true,
                BodyReadLimits.defaults(), DEFAULT_FORWARD_AUTH_ROUTE, DEFAULT_PROXY_ROUTES, List.of());
    }

    /** These settings listening elsewhere; tests use port 0. */
    public GatewaySettings withListener(String newHost, int newPort) {
        return new GatewaySettings(newHost, newPort, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, forwardAuthRoute, proxyRoutes,
                trustedProxies, spend);
    }

    /** These settings forwarding elsewhere. */
    public GatewaySettings withUpstream(URI newUpstream, String newApiKey) {
        return new GatewaySettings(host, port, newUpstream, newApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, forwardAuthRoute, proxyRoutes,
                trustedProxies, spend);
    }

    /** These settings with another body limit. */
    public GatewaySettings withMaxRequestBodyBytes(long limit) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout, limit, dataDir,
                runMigrations, bodyReads, forwardAuthRoute, proxyRoutes, trustedProxies, spend);
    }

    /** These settings with another upstream read timeout. */
    public GatewaySettings withReadTimeout(Duration timeout) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, timeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, forwardAuthRoute, proxyRoutes,
                trustedProxies, spend);
    }

    /** These settings with other body read limits. */
    public GatewaySettings withBodyReads(BodyReadLimits limits) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, limits, forwardAuthRoute, proxyRoutes, trustedProxies, spend);
    }

    /** These settings reading the forward-auth route elsewhere. */
    public GatewaySettings withForwardAuthRoute(RouteSource source) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, source, proxyRoutes, trustedProxies, spend);
    }

    /** These settings forwarding other routes. */
    public GatewaySettings withProxyRoutes(List<String> routes) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, forwardAuthRoute, routes, trustedProxies, spend);
    }

    /** These settings trusting other front proxies. */
    public GatewaySettings withTrustedProxies(List<String> cidrs) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, forwardAuthRoute, proxyRoutes, cidrs, spend);
    }

    /** These settings metering requests otherwise. */
    public GatewaySettings withSpend(SpendConfig newSpend) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations, bodyReads, forwardAuthRoute, proxyRoutes, trustedProxies,
                newSpend);
    }

    /** The upstream as it may appear in a log line: without user info, which may hold a password. */
    public String upstreamForLog() {
        return RedactedUri.of(upstream);
    }

    @Override
    public String toString() {
        // The upstream credential is a secret: never in logs; nor a password in the upstream URL.
        return "GatewaySettings[host=" + host + ", port=" + port + ", upstream=" + upstreamForLog()
                + ", upstreamApiKey=" + (upstreamApiKey == null ? "none" : "set") + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + ", maxRequestBodyBytes=" + maxRequestBodyBytes
                + ", dataDir=" + dataDir + ", runMigrations=" + runMigrations + ", bodyReads=" + bodyReads
                + ", forwardAuthRoute=" + forwardAuthRoute.wireValue() + ", proxyRoutes=" + proxyRoutes
                + ", trustedProxies=" + trustedProxies + "]";
    }
}
