package io.claimgate.gateway.request;

import java.util.List;

/**
 * The model a route names in its path, found the way Starlette matches LiteLLM's route templates.
 *
 * <p>LiteLLM declares these routes with a {@code {model:path}} parameter, which Starlette matches greedily against the
 * already percent-decoded path: {@code /engines/azure/gpt-4/chat/completions} names {@code azure/gpt-4}, and the
 * model ends before the <em>last</em> suffix. Plain string scanning does the same here; no regular expression ever sees
 * the caller's path.
 *
 * <p>Vertex AI pass-through paths ({@code /vertex_ai/.../models/{model}:generateContent}) name their model too.
 *
 * <p>Paths under a model prefix whose tail is none of the known operations still name the segment after the prefix
 * (LiteLLM's own auth reads {@code /openai/deployments/([^/]+)} the same way), so an unknown or future operation is
 * checked rather than waved through.
 */
final class PathModel {

    /** Azure and legacy OpenAI routes: {@code {prefix}{model}{operation}}. Chat first: Starlette tries it first. */
    private static final List<String> DEPLOYMENT_PREFIXES = List.of(
            "/openai/deployments/", "/engines/", "/v1/engines/", "/v1/openai/deployments/");
    private static final List<String> DEPLOYMENT_OPERATIONS = List.of(
            "/chat/completions", "/completions", "/embeddings", "/images/generations", "/images/edits",
            "/images/variations", "/audio/transcriptions", "/audio/translations", "/audio/speech", "/responses",
            "/moderations", "/rerank");

    /** Google AI Studio routes: {@code {prefix}{model}:{method}}, and model retrieval {@code /v1/models/{model}}. */
    private static final List<String> MODEL_PREFIXES = List.of("/v1beta/models/", "/beta/models/", "/models/",
            "/v1/models/");

    private PathModel() {
    }

    /**
     * @param route the route as {@code RoutePath.of} returns it: percent-decoded, no query string
     * @return the model the path names, or {@code null}
     */
    static String of(String route) {
        for (String prefix : DEPLOYMENT_PREFIXES) {
            if (route.startsWith(prefix)) {
                return deploymentModel(route.substring(prefix.length()));
            }
        }
        for (String prefix : MODEL_PREFIXES) {
            if (route.startsWith(prefix)) {
                return googleModel(route.substring(prefix.length()));
            }
        }
        if (route.startsWith("/vertex_ai/") || route.startsWith("/vertex-ai/")) {
            // Vertex pass-through: .../publishers/google/models/{model}:{method}, as LiteLLM's auth reads it.
            int models = route.indexOf("/models/");
            return models < 0 ? null : googleModel(route.substring(models + "/models/".length()));
        }
        return null;
    }

    private static String deploymentModel(String rest) {
        for (String operation : DEPLOYMENT_OPERATIONS) {
            if (rest.endsWith(operation) && rest.length() > operation.length()) {
                return rest.substring(0, rest.length() - operation.length());
            }
        }
        int slash = rest.indexOf('/');
        String model = slash < 0 ? rest : rest.substring(0, slash);
        return model.isEmpty() ? null : model;
    }

    private static String googleModel(String rest) {
        // {model_name:path}:generateContent matches greedily: the method follows the last ':'.
        int colon = rest.lastIndexOf(':');
        if (colon > 0 && isMethodName(rest, colon + 1)) {
            return rest.substring(0, colon);
        }
        return rest.isEmpty() ? null : rest;
    }

    private static boolean isMethodName(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }
}
