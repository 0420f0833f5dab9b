package io.claimgate.validator.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's route groups ({@code LiteLLMRoutes} in {@code litellm/proxy/_types.py}) with their actual routes, so
 * that {@code admin_allowed_routes: [management_routes]} means here what it means in LiteLLM.
 *
 * <p>Routes are starlette path templates: {@code {name}} is one path segment, {@code {name:path}} any rest of the
 * path. Everything else is literal, including the {@code *} in entries such as {@code /containers/*}: LiteLLM
 * compiles group entries with starlette, which escapes it, so such an entry only matches itself. Copied from
 * BerriAI/litellm's {@code _types.py} (2026 main branch); {@code docs/access-control.md} lists every group.
 */
public final class RouteGroups {

    public static final String OPENAI_ROUTES = "openai_routes";
    public static final String ANTHROPIC_ROUTES = "anthropic_routes";
    public static final String MCP_ROUTES = "mcp_routes";
    public static final String LLM_API_ROUTES = "llm_api_routes";
    public static final String INFO_ROUTES = "info_routes";
    public static final String MANAGEMENT_ROUTES = "management_routes";
    public static final String SPEND_TRACKING_ROUTES = "spend_tracking_routes";
    public static final String GLOBAL_SPEND_TRACKING_ROUTES = "global_spend_tracking_routes";
    public static final String PUBLIC_ROUTES = "public_routes";

    private static final Map<String, List<String>> GROUPS = groups();

    private RouteGroups() {
    }

    /** Whether LiteLLM knows this name as a route group. */
    public static boolean isGroup(String name) {
        return GROUPS.containsKey(name);
    }

    /** The group's routes in LiteLLM's order, or an empty list for an unknown name. */
    public static List<String> routes(String group) {
        return GROUPS.getOrDefault(group, List.of());
    }

    /** Every group name, in LiteLLM's order. */
    public static Set<String> names() {
        return GROUPS.keySet();
    }

    /**
     * LiteLLM's {@code get_actual_routes}: each group replaced by its routes, any other entry kept as written. Used
     * in messages that tell the caller what is allowed.
     */
    public static List<String> expand(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String entry : entries) {
            if (isGroup(entry)) {
                out.addAll(routes(entry));
            } else {
                out.add(entry);
            }
        }
        return out;
    }

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        put(g, "openai_routes", List.of(
                "/engines/{model}/chat/completions", "/openai/deployments/{model}/chat/completions",
                "/chat/completions", "/v1/chat/completions", "/cursor/chat/completions", "/cursor/models",
                "/cursor/v1/models", "/engines/{model}/completions", "/openai/deployments/{model}/completions",
                "/completions", "/v1/completions", "/engines/{model}/embeddings",
                "/openai/deployments/{model}/embeddings", "/embeddings", "/v1/embeddings", "/images/generations",
                "/v1/images/generations", "/images/edits", "/v1/images/edits", "/videos", "/v1/videos",
                "/videos/{video_id}", "/v1/videos/{video_id}", "/videos/{video_id}/content",
                "/v1/videos/{video_id}/content", "/videos/{video_id}/remix", "/v1/videos/{video_id}/remix",
                "/audio/transcriptions", "/v1/audio/transcriptions", "/audio/speech", "/v1/audio/speech",
                "/moderations", "/v1/moderations", "/v1/batches", "/batches", "/v1/batches/{batch_id}",
                "/batches/{batch_id}", "/v1/batches/{batch_id}/cancel", "/batches/{batch_id}/cancel", "/v1/files",
                "/files", "/v1/files/{file_id}", "/files/{file_id}", "/v1/files/{file_id}/content",
                "/files/{file_id}/content", "/fine_tuning/jobs", "/v1/fine_tuning/jobs",
                "/fine_tuning/jobs/{fine_tuning_job_id}/cancel", "/v1/fine_tuning/jobs/{fine_tuning_job_id}/cancel",
                "/assistants", "/v1/assistants", "/v1/assistants/{assistant_id}", "/assistants/{assistant_id}",
                "/threads", "/v1/threads", "/threads/{thread_id}", "/v1/threads/{thread_id}",
                "/threads/{thread_id}/messages", "/v1/threads/{thread_id}/messages", "/threads/{thread_id}/runs",
                "/v1/threads/{thread_id}/runs", "/models", "/v1/models", "/utils/token_counter",
                "/utils/transform_request", "/rerank", "/v1/rerank", "/v2/rerank", "/realtime", "/v1/realtime",
                "/openai/v1/realtime", "/realtime?{model}", "/v1/realtime?{model}", "/openai/v1/realtime?{model}",
                "/realtime/client_secrets", "/v1/realtime/client_secrets", "/openai/v1/realtime/client_secrets",
                "/realtime/calls", "/v1/realtime/calls", "/openai/v1/realtime/calls",
                "/realtime/transcription_sessions", "/v1/realtime/transcription_sessions",
                "/openai/v1/realtime/transcription_sessions", "/responses", "/v1/responses", "/openai/v1/responses",
                "/responses/{response_id}", "/v1/responses/{response_id}", "/openai/v1/responses/{response_id}",
                "/responses/{response_id}/input_items", "/v1/responses/{response_id}/input_items",
                "/openai/v1/responses/{response_id}/input_items", "/responses/{response_id}/cancel",
                "/v1/responses/{response_id}/cancel", "/openai/v1/responses/{response_id}/cancel", "/vector_stores",
                "/v1/vector_stores", "/vector_stores/{vector_store_id}", "/v1/vector_stores/{vector_store_id}",
                "/vector_stores/{vector_store_id}/search", "/v1/vector_stores/{vector_store_id}/search",
                "/vector_stores/{vector_store_id}/files", "/v1/vector_stores/{vector_store_id}/files",
                "/vector_stores/{vector_store_id}/files/{file_id}",
                "/v1/vector_stores/{vector_store_id}/files/{file_id}",
                "/vector_stores/{vector_store_id}/files/{file_id}/content",
                "/v1/vector_stores/{vector_store_id}/files/{file_id}/content", "/vector_store/list",
                "/v1/vector_store/list", "/search", "/v1/search", "/search/{search_tool_name}",
                "/v1/search/{search_tool_name}", "/ocr", "/v1/ocr", "/containers", "/v1/containers", "/containers/*",
                "/v1/containers/*"));
        put(g, "mapped_pass_through_routes", List.of(
                "/bedrock", "/comprehendmedical", "/vertex-ai", "/vertex_ai", "/cohere", "/cursor", "/gemini",
                "/anthropic", "/langfuse", "/azure", "/azure_ai", "/openai", "/openai_passthrough", "/assemblyai",
                "/eu.assemblyai", "/vllm", "/mistral", "/milvus", "/watsonx"));
        put(g, "passthrough_routes_wildcard", suffixed(g.get("mapped_pass_through_routes"), "/*"));
        put(g, "litellm_native_routes", List.of(
                "/rag/ingest", "/v1/rag/ingest", "/rag/query", "/v1/rag/query"));
        put(g, "anthropic_routes", List.of(
                "/v1/messages", "/v1/messages/count_tokens", "/v1/skills", "/v1/skills/{skill_id}"));
        put(g, "mcp_inference_routes", List.of(
                "/mcp", "/mcp/", "/mcp/{subpath}", "/mcp/tools", "/mcp/tools/list", "/mcp/tools/call",
                "/mcp-rest/tools/list", "/mcp-rest/tools/call", "/v1/mcp/tools"));
        put(g, "mcp_management_routes", List.of(
                "/v1/mcp/server", "/v1/mcp/server/{path:path}"));
        put(g, "mcp_routes", concat(g, "mcp_inference_routes", "mcp_management_routes"));
        put(g, "agent_inference_routes", List.of(
                "/agents", "/a2a/{agent_id}", "/a2a/{agent_id}/message/send", "/a2a/{agent_id}/message/stream",
                "/a2a/{agent_id}/.well-known/agent-card.json"));
        put(g, "agent_management_routes", List.of(
                "/v1/agents", "/v1/agents/{agent_id}", "/v1/agents/make_public", "/v1/agents/{agent_id}/make_public"));
        put(g, "agent_routes", concat(g, "agent_inference_routes", "agent_management_routes"));
        put(g, "google_routes", List.of(
                "/v1beta/models/{model_name:path}:countTokens", "/v1beta/models/{model_name:path}:generateContent",
                "/v1beta/models/{model_name:path}:streamGenerateContent", "/models/{model_name:path}:countTokens",
                "/models/{model_name:path}:generateContent", "/models/{model_name:path}:streamGenerateContent",
                "/interactions", "/v1beta/interactions", "/interactions/{interaction_id}",
                "/v1beta/interactions/{interaction_id}", "/interactions/{interaction_id}/cancel",
                "/v1beta/interactions/{interaction_id}/cancel", "/v1beta/agents", "/v1beta/agents/{name}",
                "/v1beta/agents/{name}/versions"));
        put(g, "apply_guardrail_routes", List.of(
                "/guardrails/apply_guardrail"));
        put(g, "model_info_routes", List.of(
                "/model/info", "/v1/model/info"));
        put(g, "llm_api_routes", concat(g, "openai_routes", "anthropic_routes", "google_routes", "mapped_pass_through_routes", "passthrough_routes_wildcard", "apply_guardrail_routes", "mcp_inference_routes", "litellm_native_routes", "agent_inference_routes", "model_info_routes"));
        put(g, "info_routes", List.of(
                "/key/info", "/key/health", "/team/info", "/team/list", "/v2/team/list", "/organization/list",
                "/team/available", "/team/metadata_schema", "/user/info", "/v2/user/info", "/model/info",
                "/v1/model/info", "/v2/model/info", "/v2/key/info", "/model_group/info", "/health",
                "/health/services", "/key/list", "/user/filter/ui", "/models", "/v1/models", "/sso/get/ui_settings",
                "/get/user_banner"));
        put(g, "master_key_only_routes", List.of(
                "/global/spend/reset", "/memory-usage-in-mem-cache", "/memory-usage-in-mem-cache-items"));
        put(g, "key_management_routes", List.of(
                "/key/generate", "/key/update", "/key/delete", "/key/info", "/key/regenerate",
                "/key/service-account/generate", "/key/{key_id}/regenerate", "/key/list", "/key/block",
                "/key/unblock", "/key/bulk_update", "/team/key/bulk_update", "/team/daily/activity",
                "/team/daily/activity/aggregated", "/spend/logs", "/spend/logs/v2", "/key/{key_id}/reset_spend",
                "/key/aliases", "/key/access_group_assignment"));
        put(g, "management_routes", concat(List.of(
                "/user/new", "/user/update", "/user/bulk_update", "/user/delete", "/user/info", "/user/list",
                "/user/daily/activity", "/user/daily/activity/aggregated", "/team/new", "/team/update",
                "/team/{team_id}", "/team/delete", "/team/list", "/v2/team/list", "/team/info", "/team/block",
                "/team/unblock", "/team/available", "/team/metadata_schema", "/team/permissions_list",
                "/team/permissions_update", "/team/permissions_bulk_update", "/team/daily/activity",
                "/team/daily/activity/aggregated", "/gateway/daily/activity", "/model/new", "/model/update",
                "/model/delete", "/model/info", "/jwt/key/mapping/new", "/jwt/key/mapping/update",
                "/jwt/key/mapping/delete", "/jwt/key/mapping/list", "/jwt/key/mapping/info"),
                g.get("key_management_routes"), g.get("mcp_management_routes"), g.get("agent_management_routes")));
        put(g, "spend_tracking_routes", List.of(
                "/spend/keys", "/spend/users", "/spend/tags", "/spend/calculate", "/spend/logs", "/spend/logs/v2",
                "/spend/logs/ui", "/spend/logs/session/ui", "/key/spend/report", "/user/spend/report",
                "/team/spend/report", "/organization/spend/report", "/management/v1/spend_logs/end_users",
                "/management/v1/spend_logs/users", "/cost/estimate"));
        put(g, "global_spend_tracking_routes", List.of(
                "/global/spend/logs", "/global/spend", "/global/spend/keys", "/global/spend/teams",
                "/global/spend/end_users", "/global/spend/models", "/global/predict/spend/logs",
                "/global/spend/report", "/global/spend/provider", "/global/spend/tags",
                "/global/spend/all_tag_names"));
        put(g, "public_routes", List.of(
                "/routes", "/", "/health/liveliness", "/health/liveness", "/test", "/config/yaml",
                "/litellm/.well-known/litellm-ui-config", "/.well-known/litellm-ui-config", "/public/model_hub",
                "/public/model_hub/info", "/public/agent_hub", "/public/mcp_hub", "/public/skill_hub",
                "/public/litellm_model_cost_map"));
        put(g, "ui_routes", concat(List.of(
                "/sso", "/sso/get/ui_settings", "/get/ui_settings", "/login", "/key/info", "/config", "/spend",
                "/model/info", "/v2/model/info", "/v2/key/info", "/models", "/v1/models", "/global/spend",
                "/global/spend/logs", "/global/spend/keys", "/global/spend/models", "/global/spend/tags",
                "/global/predict/spend/logs", "/global/activity", "/gateway/daily/activity", "/health/services"),
                g.get("info_routes")));
        return Collections.unmodifiableMap(g);
    }

    private static void put(Map<String, List<String>> groups, String name, List<String> routes) {
        groups.put(name, List.copyOf(routes));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> part : parts) {
            out.addAll(part);
        }
        return out;
    }

    private static List<String> concat(Map<String, List<String>> groups, String... names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            out.addAll(groups.get(name));
        }
        return out;
    }

    private static List<String> suffixed(List<String> routes, String suffix) {
        List<String> out = new ArrayList<>(routes.size());
        for (String route : routes) {
            out.add(route + suffix);
        }
        return out;
    }
}
