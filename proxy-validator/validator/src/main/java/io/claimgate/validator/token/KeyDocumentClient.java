package io.claimgate.validator.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches key documents over HTTP with every limit a hostile or broken server could otherwise abuse: connect and
 * read timeouts, a response size cap, redirects followed only within the same host, and a few attempts with a short
 * backoff for failures that may pass (network errors, 5xx, 429).
 */
final class KeyDocumentClient {

    private static final int MAX_REDIRECTS = 3;

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxBytes;
    private final int attempts;
    private final Duration backoff;

    KeyDocumentClient(Duration connectTimeout, Duration readTimeout, int maxBytes, int attempts, Duration backoff) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxBytes = maxBytes;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    /** The longest one {@link #get(URI)} can take, for callers that wait on a shared fetch. */
    Duration maxDuration() {
        return connectTimeout.plus(readTimeout).multipliedBy(attempts).plus(backoff.multipliedBy(attempts))
                .plusSeconds(1);
    }

    /**
     * The body of a 200 answer.
     *
     * @throws IOException with the status or cause, never the body
     */
    byte[] get(URI uri) throws IOException {
        FetchFailure last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(backoff.multipliedBy(attempt - 1));
            }
            try {
                return getFollowingRedirects(uri);
            } catch (FetchFailure e) {
                last = e;
                if (!e.retryable) {
                    break;
                }
            }
        }
        throw last;
    }

    private byte[] getFollowingRedirects(URI uri) throws FetchFailure {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> response = send(current);
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                current = redirectTarget(current, response);
                continue;
            }
            throw new FetchFailure("HTTP status " + status, status >= 500 || status == 429);
        }
        throw new FetchFailure("more than " + MAX_REDIRECTS + " redirects", false);
    }

    /** Follows a redirect only to the same host and port, and never from https down to http. */
    private static URI redirectTarget(URI from, HttpResponse<?> response) throws FetchFailure {
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) {
            throw new FetchFailure("redirect without Location", false);
        }
        URI to;
        try {
            to = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new FetchFailure("redirect to an invalid Location", false);
        }
        boolean sameHost = from.getHost() != null && from.getHost().equalsIgnoreCase(to.getHost())
                && port(from) == port(to);
        boolean noDowngrade = "https".equals(to.getScheme())
                || "http".equals(to.getScheme()) && "http".equals(from.getScheme());
        if (!sameHost || !noDowngrade) {
            throw new FetchFailure("redirect to another host or scheme refused", false);
        }
        return to;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private HttpResponse<byte[]> send(URI uri) throws FetchFailure {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(readTimeout).header("Accept", "application/json").GET()
                    .build();
        } catch (IllegalArgumentException e) {
            throw new FetchFailure("invalid URL", false);
        }
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, info -> new CappedBody(maxBytes));
        try {
            // The request timeout covers the headers only; this bounds the body too.
            return future.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new FetchFailure("timed out", true);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchFailure("interrupted", false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ResponseTooLarge) {
                throw new FetchFailure("response larger than " + maxBytes + " bytes", false);
            }
            throw new FetchFailure(cause == null ? "failed" : cause.getClass().getSimpleName(), true);
        }
    }

    private static void pause(Duration duration) throws FetchFailure {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailure("interrupted", false);
        }
    }

    /** A failed fetch; the message is safe to log (status or exception class, never the body). */
    static final class FetchFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient boolean retryable;

        FetchFailure(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }
    }

    private static final class ResponseTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Collects a body up to a cap and fails beyond it, cancelling the transfer. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int maxBytes;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (out.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
