package io.claimgate.benchmarks;

import io.claimgate.validator.crypto.SignatureProviders;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Distinct pre-signed tokens, shared by all threads of a benchmark, so that "a token not seen before" defeats any
 * cache: each thread walks the pool from its own offset, and the pool ({@value #DEFAULT_SIZE} tokens unless
 * {@code -Dclaimgate.bench.pool=N}) is larger than any verified-token cache the benchmarks configure.
 */
@State(Scope.Benchmark)
public class TokenPool {

    /** Default pool size; signing it takes a few seconds at setup. */
    public static final int DEFAULT_SIZE = 4096;

    KeycloakTokens tokens;
    String[] pool;
    /** The one token of the "seen before" benchmarks: variant 0. */
    String seenBefore;

    @Setup
    public void mint() {
        tokens = KeycloakTokens.create();
        // Corretto signs about ten times faster than the JDK; only setup time depends on it.
        KeycloakTokens.Signer signer = new KeycloakTokens.Signer(tokens,
                SignatureProviders.select(SignatureProviders.Preference.AUTO).provider().orElse(null));
        pool = tokens.tokens(Integer.getInteger("claimgate.bench.pool", DEFAULT_SIZE), signer);
        seenBefore = pool[0];
    }

    /** Each benchmark thread's position in the pool. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        @Setup
        public void start(TokenPool pool) {
            // Threads start half a pool apart so that two threads do not verify the same token at the same time.
            next = (int) (Thread.currentThread().getId() * (pool.pool.length / 2)) % pool.pool.length;
        }

        /** The next token of the pool, wrapping around. */
        public String next(TokenPool pool) {
            String[] tokens = pool.pool;
            int i = next;
            next = i + 1 == tokens.length ? 0 : i + 1;
            return tokens[i];
        }
    }
}
