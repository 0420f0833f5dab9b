package io.claimgate.gateway.config;

import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.JwtAuthSettings;
import java.util.List;
import java.util.Optional;

/**
 * Everything the gateway reads from a LiteLLM {@code config.yaml}: validated, with references resolved.
 *
 * @param enableJwtAuth {@code general_settings.enable_jwt_auth}; without it only the master key is accepted
 * @param jwtAuth       {@code litellm_jwtauth}, {@code role_permissions} and the key source variables
 * @param masterKey     {@code general_settings.master_key}, or {@code null}
 * @param databaseUrl   {@code general_settings.database_url} or {@code DATABASE_URL}, or {@code null} for embedded
 * @param models        the {@code model_name}s of {@code model_list}, in order, without duplicates
 * @param gateway       the {@code gateway:} section
 * @param warnings      what was accepted but not acted on, or not recognised; logged at start
 * @param defaultUserParams {@code litellm_settings.default_internal_user_params}: what users created on first sight
 *                          start with
 */
public record GatewayConfig(boolean enableJwtAuth, JwtAuthSettings jwtAuth, String masterKey, String databaseUrl,
                            List<String> models, GatewaySettings gateway, List<String> warnings,
                            DefaultUserParams defaultUserParams) {

    public GatewayConfig {
        models = List.copyOf(models);
        warnings = List.copyOf(warnings);
        defaultUserParams = defaultUserParams == null ? DefaultUserParams.NONE : defaultUserParams;
    }

    /** A configuration without {@code default_internal_user_params}. */
    public GatewayConfig(boolean enableJwtAuth, JwtAuthSettings jwtAuth, String masterKey, String databaseUrl,
                         List<String> models, GatewaySettings gateway, List<String> warnings) {
        this(enableJwtAuth, jwtAuth, masterKey, databaseUrl, models, gateway, warnings, DefaultUserParams.NONE);
    }

    public Optional<String> masterKeyIfAny() {
        return Optional.ofNullable(masterKey);
    }

    public Optional<String> databaseUrlIfAny() {
        return Optional.ofNullable(databaseUrl);
    }

    @Override
    public String toString() {
        // Secrets stay out of logs: the master key and a database URL may carry passwords.
        return "GatewayConfig[enableJwtAuth=" + enableJwtAuth + ", masterKey=" + (masterKey == null ? "none" : "set")
                + ", database=" + (databaseUrl == null ? "embedded" : "external") + ", models=" + models
                + ", gateway=" + gateway + "]";
    }
}
