package io.claimgate.gateway.spend;

/**
 * LiteLLM's {@code call_type} of a route, as its spend logs name it; routes it has no name for are
 * {@code pass_through_endpoint}.
 */
final class CallType {

    private CallType() {
    }

    static String of(String route) {
        String r = route.startsWith("/v1/") ? route.substring(3) : route;
        if (r.startsWith("/openai/deployments/")) {
            r = r.substring(r.indexOf('/', "/openai/deployments/".length()));
        }
        return switch (r) {
            case "/chat/completions" -> "acompletion";
            case "/completions" -> "atext_completion";
            case "/embeddings" -> "aembedding";
            case "/responses" -> "aresponses";
            case "/messages" -> "anthropic_messages";
            case "/images/generations" -> "aimage_generation";
            case "/audio/transcriptions" -> "atranscription";
            case "/audio/speech" -> "aspeech";
            case "/moderations" -> "amoderation";
            case "/rerank" -> "arerank";
            default -> "pass_through_endpoint";
        };
    }

    /** The routes whose streamed answers carry usage only when asked (OpenAI's chat and text completions). */
    static boolean asksForStreamUsage(String route) {
        String type = of(route);
        return type.equals("acompletion") || type.equals("atext_completion");
    }
}
