package io.claimgate.gateway.request;

import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.gateway.http.RequestFields;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a request names (models, end user) the way the upstream LiteLLM proxy reads it, so that the gateway
 * authorizes exactly what the upstream will execute; anything two readers could read differently is refused (400).
 */
public final class RequestReader {

    private RequestReader() {
    }

    /** What the route and the query string alone name; 400 when they disagree. */
    public static RequestedAccess fromRoute(String route, String rawQuery) {
        String fromPath = RequestFields.of(route, null, new byte[0]).model();
        String fromQuery = queryModel(rawQuery);
        if (fromPath != null && fromQuery != null && !fromPath.equals(fromQuery)) {
            throw JsonResponses.badRequest("conflicting_models", "The path names model " + fromPath
                    + " and the query string model " + fromQuery, "model");
        }
        String model = fromPath != null ? fromPath : fromQuery;
        return model == null ? RequestedAccess.NONE : new RequestedAccess(List.of(model), null);
    }

    /** What the route, the query string and the body name; 400 for anything ambiguous. */
    public static RequestedAccess read(String route, String rawQuery, String contentType, byte[] body) {
        RequestedAccess fromRoute = fromRoute(route, rawQuery);
        RequestFields fromBody = RequestFields.of("/", contentType, body);
        List<String> models = new ArrayList<>(fromRoute.models());
        if (fromBody.model() != null) {
            if (!models.isEmpty() && !models.contains(fromBody.model())) {
                throw JsonResponses.badRequest("conflicting_models", "The request names model " + models.get(0)
                        + " in its path or query and " + fromBody.model() + " in its body", "model");
            }
            if (models.isEmpty()) {
                models.add(fromBody.model());
            }
        }
        return new RequestedAccess(models, fromBody.endUser());
    }

    private static String queryModel(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        try {
            return queryModel(rawQuery.split("&"));
        } catch (IllegalArgumentException malformed) {
            throw JsonResponses.badRequest("invalid_query", "Malformed percent-encoding in the query string", null);
        }
    }

    private static String queryModel(String[] pairs) {
        String model = null;
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (name.equals("model")) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (model != null && !model.equals(value)) {
                    throw JsonResponses.badRequest("conflicting_models", "The query string names model twice",
                            "model");
                }
                model = value;
            }
        }
        return model == null || model.isEmpty() ? null : model;
    }
}
