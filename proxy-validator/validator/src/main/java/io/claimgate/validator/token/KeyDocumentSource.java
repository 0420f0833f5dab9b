package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetRetrievalException;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;

/**
 * The keys one configured URL serves, read the way LiteLLM reads them: the bottom of nimbus's {@code JWKSetSource}
 * chain, in place of nimbus's {@code URLBasedJWKSetSource}.
 *
 * <p>The URL may be a JWKS URL or an OIDC discovery URL whose {@code jwks_uri} is followed (and remembered until a
 * fetch fails); see {@link JwksDocument} for the accepted shapes, PEM certificate maps included. Every call is one
 * fetch through {@link KeyDocumentClient}; caching, sharing and limits belong to the sources above.
 */
final class KeyDocumentSource implements JWKSetSource<FetchCause> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyDocumentSource.class);

    /** What the owner learns of each fetch: counts, and when to refresh next. */
    interface Outcome {
        void fetched(JWKSet set, KeySet keys, long at);

        void failed(long at);
    }

    private final URI url;
    private final String name;
    private final KeyDocumentClient client;
    private final Outcome outcome;
    private volatile URI jwksUri;
    private volatile KeySet last = KeySet.empty();

    KeyDocumentSource(URI url, KeyDocumentClient client, Outcome outcome) {
        this.url = url;
        this.name = redact(url);
        this.client = client;
        this.outcome = outcome;
    }

    /** The URL without query or user info, safe to log. */
    String name() {
        return name;
    }

    /**
     * Fetches the URL's keys now.
     *
     * @throws JWKSetRetrievalException with a message safe to log (status or error class, never the body)
     */
    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, FetchCause cause)
            throws JWKSetRetrievalException {
        KeySet keys;
        try {
            keys = load();
        } catch (IOException | RuntimeException e) {
            jwksUri = null;
            LOG.warn("Fetching public keys from {} failed: {}", name, e.getMessage());
            outcome.failed(System.currentTimeMillis());
            throw new JWKSetRetrievalException("Fetching public keys from " + name + " failed: " + e.getMessage(),
                    null);
        }
        if (!last.keyIds().equals(keys.keyIds())) {
            LOG.info("Using {} public key(s) {} from {}", keys.keys().size(), keys.keyIds(), name);
        }
        last = keys;
        JWKSet set = new JWKSet(keys.keys());
        outcome.fetched(set, keys, System.currentTimeMillis());
        return set;
    }

    /** Reads the URL, resolving a discovery document to its {@code jwks_uri}. */
    private KeySet load() throws IOException {
        URI target = jwksUri != null ? jwksUri : url;
        JwksDocument document = JwksDocument.parse(client.get(target));
        if (document.jwksUri() != null) {
            if (target != url) {
                throw new IOException("jwks_uri leads to another discovery document");
            }
            URI resolved = url.resolve(document.jwksUri());
            boolean allowed = "https".equals(resolved.getScheme())
                    || "http".equals(resolved.getScheme()) && "http".equals(url.getScheme());
            if (!allowed) {
                throw new IOException("discovery jwks_uri must be https");
            }
            document = JwksDocument.parse(client.get(resolved));
            if (document.jwksUri() != null) {
                throw new IOException("jwks_uri leads to another discovery document");
            }
            jwksUri = resolved;
        }
        if (document.keys().isEmpty()) {
            throw new IOException("no usable public key in the document");
        }
        if (document.skipped() > 0) {
            LOG.debug("Skipped {} unusable entries from {}", document.skipped(), name);
        }
        return KeySet.of(document.keys());
    }

    @Override
    public void close() {
        // Nothing held: the HTTP client belongs to the key source.
    }

    /** Strips user info and query so that logged URLs carry no secrets. */
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
