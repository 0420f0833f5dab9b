package io.claimgate.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

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
 */
public record GatewaySettings(String host, int port, URI upstream, String upstreamApiKey, Duration connectTimeout,
                              Duration readTimeout, long maxRequestBodyBytes, Path dataDir, boolean runMigrations) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 4000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(600);
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 10L * 1024 * 1024;
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    /** Every default; no upstream. */
    public static GatewaySettings defaults() {
        return new GatewaySettings(DEFAULT_HOST, DEFAULT_PORT, null, null, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_READ_TIMEOUT, DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_DATA_DIR, true);
    }

    /** These settings listening elsewhere; tests use port 0. */
    public GatewaySettings withListener(String newHost, int newPort) {
        return new GatewaySettings(newHost, newPort, upstream, upstreamApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations);
    }

    /** These settings forwarding elsewhere. */
    public GatewaySettings withUpstream(URI newUpstream, String newApiKey) {
        return new GatewaySettings(host, port, newUpstream, newApiKey, connectTimeout, readTimeout,
                maxRequestBodyBytes, dataDir, runMigrations);
    }

    /** These settings with another body limit. */
    public GatewaySettings withMaxRequestBodyBytes(long limit) {
        return new GatewaySettings(host, port, upstream, upstreamApiKey, connectTimeout, readTimeout, limit, dataDir,
                runMigrations);
    }

    @Override
    public String toString() {
        // The upstream credential is a secret: never in logs.
        return "GatewaySettings[host=" + host + ", port=" + port + ", upstream=" + upstream + ", upstreamApiKey="
                + (upstreamApiKey == null ? "none" : "set") + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", maxRequestBodyBytes=" + maxRequestBodyBytes + ", dataDir=" + dataDir
                + ", runMigrations=" + runMigrations + "]";
    }
}
