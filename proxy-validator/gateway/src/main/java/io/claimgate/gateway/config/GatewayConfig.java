package io.claimgate.gateway.config;

import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.access.ModelCatalogue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * @param modelCatalogue the {@code model_list} deployments with their providers and access groups, and the
 *                      {@code model_group_alias} / {@code model_alias_map} aliases: what model access is decided
 *                      against
 * @param litellmKeyHeaderName {@code general_settings.litellm_key_header_name}: one more header the caller's key is
 *                      read from (and stripped before forwarding), or {@code null}
 * @param defaultUserParams {@code litellm_settings.default_internal_user_params}: what users created on first sight
 *                          start with
 */
public record GatewayConfig(boolean enableJwtAuth, JwtAuthSettings jwtAuth, String masterKey, String databaseUrl,
                            List<String> models, GatewaySettings gateway, List<String> warnings,
                            ModelCatalogue modelCatalogue, String litellmKeyHeaderName,
                            DefaultUserParams defaultUserParams) {

    public GatewayConfig {
        models = List.copyOf(models);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(modelCatalogue, "modelCatalogue");
        defaultUserParams = defaultUserParams == null ? DefaultUserParams.NONE : defaultUserParams;
    }

    /**
     * A config whose models are bare names (no providers, access groups or aliases), without a custom key header or
     * {@code default_internal_user_params}.
     */
    public GatewayConfig(boolean enableJwtAuth, JwtAuthSettings jwtAuth, String masterKey, String databaseUrl,
                         List<String> models, GatewaySettings gateway, List<String> warnings) {
        this(enableJwtAuth, jwtAuth, masterKey, databaseUrl, models, gateway, warnings, ModelCatalogue.of(
                models.stream().map(name -> new ModelCatalogue.Deployment(name, null, List.of())).toList(), Map.of()),
                null, DefaultUserParams.NONE);
    }

    /** The same configuration with another {@code gateway:} section (tests listen on a free port, for instance). */
    public GatewayConfig withGateway(GatewaySettings settings) {
        return new GatewayConfig(enableJwtAuth, jwtAuth, masterKey, databaseUrl, models, settings, warnings,
                modelCatalogue, litellmKeyHeaderName, defaultUserParams);
    }

    /** The same configuration with another database URL, or {@code null} for the embedded one. */
    public GatewayConfig withDatabaseUrl(String url) {
        return new GatewayConfig(enableJwtAuth, jwtAuth, masterKey, url, models, gateway, warnings,
                modelCatalogue, litellmKeyHeaderName, defaultUserParams);
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
                + ", " + modelCatalogue
                + ", gateway=" + gateway + "]";
    }
}
