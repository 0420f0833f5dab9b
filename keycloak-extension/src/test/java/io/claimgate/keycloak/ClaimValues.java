package io.claimgate.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads claim values out of decoded tokens and Keycloak's JSON answers, for assertions. */
final class ClaimValues {

    private ClaimValues() {
    }

    /** A JSON array of strings as a list; a missing claim gives an empty list. */
    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The space-separated {@code scope} claim as a list, in order. */
    static List<String> scopes(JsonNode claims) {
        String scope = claims.path("scope").asText();
        return scope.isEmpty() ? List.of() : List.of(scope.split(" "));
    }

    /** {@code aud}, which Keycloak writes as a string for one audience and an array for several. */
    static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        return aud.isArray() ? texts(aud) : aud.isMissingNode() ? List.of() : List.of(aud.asText());
    }
}
