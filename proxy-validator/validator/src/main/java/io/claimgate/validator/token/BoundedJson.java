package io.claimgate.validator.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Map;

/**
 * Reads untrusted JSON (token headers and claims, JWKS documents) into plain Java types with hard limits.
 *
 * <p>Nesting is bounded so that a deeply nested document fails with an {@link IOException} long before the parser
 * could overflow the stack; duplicate member names are refused because two readers of the same token could otherwise
 * see two different {@code exp} or {@code alg} values. Whole numbers become {@link Long} (or {@link java.math.BigInteger}
 * when larger), others {@link Double}.
 */
final class BoundedJson {

    /** Deep enough for any real token or JWKS document, shallow enough to keep recursion harmless. */
    static final int MAX_DEPTH = 64;

    private static final ObjectReader OBJECT_READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(64)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Object.class);

    private BoundedJson() {
    }

    /**
     * Parses a document whose root must be a JSON object.
     *
     * @throws IOException when the bytes are not one JSON object within the limits
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(byte[] json) throws IOException {
        Object root = read(json);
        if (root instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IOException("JSON root is not an object");
    }

    /**
     * Parses a document of any shape.
     *
     * @throws IOException when the bytes are not one JSON value within the limits
     */
    static Object read(byte[] json) throws IOException {
        try {
            return OBJECT_READER.readValue(json);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Jackson reports some limit violations unchecked; one exception type keeps callers fail-closed.
            throw new IOException("unreadable JSON", e);
        }
    }
}
