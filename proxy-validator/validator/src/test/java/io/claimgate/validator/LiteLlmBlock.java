package io.claimgate.validator;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.RolePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings for a test, written as an operator writes them: a {@code litellm_jwtauth} block by LiteLLM key, the key
 * source as LiteLLM's environment variables, and {@code general_settings.role_permissions}. {@link #settings()}
 * reads them through {@link JwtAuthSettings#fromLiteLlm(Map)}, so every test goes through the real key names,
 * defaults and validation.
 */
public final class LiteLlmBlock {

    private final Map<String, Object> block = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private List<RolePermission> rolePermissions = List.of();

    /** Sets a {@code litellm_jwtauth} key to a YAML-shaped value. */
    public LiteLlmBlock set(String key, Object value) {
        block.put(key, value);
        return this;
    }

    /** {@code JWT_ISSUER}. */
    public LiteLlmBlock issuer(String issuer) {
        environment.put(JwtAuthSettings.ENV_ISSUER, issuer);
        return this;
    }

    /** {@code JWT_AUDIENCE}. */
    public LiteLlmBlock audiences(List<String> audiences) {
        environment.put(JwtAuthSettings.ENV_AUDIENCE, String.join(",", audiences));
        return this;
    }

    /** {@code JWT_PUBLIC_KEY_URL}. */
    public LiteLlmBlock publicKeyUrls(List<String> urls) {
        environment.put(JwtAuthSettings.ENV_PUBLIC_KEY_URL, String.join(",", urls));
        return this;
    }

    /** {@code general_settings.role_permissions}. */
    public LiteLlmBlock rolePermissions(List<RolePermission> permissions) {
        rolePermissions = permissions;
        return this;
    }

    /** The settings these values make, validated as at start-up. */
    public JwtAuthSettings settings() {
        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(block).environment(environment);
        return settings.with(settings.access().withRolePermissions(rolePermissions));
    }
}
