package io.claimgate.gateway.config;

import java.util.Set;

/**
 * The LiteLLM {@code config.yaml} keys the gateway accepts without acting on them, so that a LiteLLM config reads
 * as-is. They are the proxy's business (routing, spend logs, alerting, UI), not authentication's.
 */
final class LiteLlmKeys {

    /** Top-level sections of a LiteLLM config that belong to the LLM proxy. */
    static final Set<String> IGNORED_SECTIONS = Set.of(
            "litellm_settings", "router_settings", "callback_settings", "guardrails", "mcp_servers",
            "mcp_aliases", "include", "files_settings", "credential_list", "vector_store_registry", "search_tools",
            "finetune_settings", "assistant_settings", "prompts", "model_group_settings");

    /** {@code general_settings} keys LiteLLM knows and the gateway does not act on. */
    static final Set<String> IGNORED_GENERAL_SETTINGS = Set.of(
            "database_connection_pool_limit", "database_connection_timeout", "database_args",
            "allow_requests_on_db_unavailable", "custom_auth", "custom_auth_settings", "custom_key_generate",
            "max_parallel_requests", "global_max_parallel_requests", "infer_model_from_keys",
            "background_health_checks", "health_check_interval", "health_check_details", "alerting",
            "alerting_threshold", "alerting_args", "alert_types", "alert_to_webhook_url", "spend_report_frequency",
            "use_client_credentials_pass_through_routes", "allowed_routes", "admin_only_routes", "public_routes",
            "key_management_system", "key_management_settings", "use_google_kms", "use_azure_key_vault",
            "store_model_in_db", "store_prompts_in_spend_logs", "proxy_batch_write_at",
            "disable_master_key_return", "disable_retry_on_max_parallel_request_limit_error",
            "disable_reset_budget", "disable_adding_master_key_hash_to_db", "disable_prisma_schema_update",
            "disable_responses_id_security", "enable_oauth2_auth", "enable_oauth2_proxy_auth",
            "oauth2_config_mappings", "enforce_user_param", "enforced_params", "allowed_ips", "user_header_name",
            "user_header_mappings", "ui_access_mode", "pass_through_endpoints",
            "forward_openai_org_id", "forward_client_headers_to_llm_api", "maximum_spend_logs_retention_period",
            "maximum_spend_logs_retention_interval", "service_account_settings", "key_generation_settings",
            "otel", "default_team_disabled", "allow_user_auth", "proxy_budget_rescheduler_min_time",
            "proxy_budget_rescheduler_max_time", "embedding_model", "moderation_model", "enable_public_model_hub",
            "custom_sso", "custom_ui_sso_sign_in_handler", "supported_db_objects", "max_request_size_mb",
            "max_response_size_mb", "reject_clientside_metadata_tags", "default_internal_user_params",
            "default_team_params", "upperbound_key_generate_params", "default_key_generate_params",
            "use_redis_transaction_buffer", "use_shared_health_check", "mcp_client_side_auth_header_name",
            "control_plane_url", "enable_health_check_routing", "allowed_routes_for_model_access_check",
            "user_api_key_cache_ttl", "redact_user_api_key_info", "callback_settings");

    private LiteLlmKeys() {
    }
}
