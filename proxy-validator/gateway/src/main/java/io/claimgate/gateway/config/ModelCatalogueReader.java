package io.claimgate.gateway.config;

import io.claimgate.model.ConfigValues;
import io.claimgate.model.SettingsException;
import io.claimgate.validator.access.ModelCatalogue;
import io.claimgate.validator.access.ModelCatalogue.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ModelCatalogue} of a LiteLLM {@code config.yaml}: what the upstream's router will run for a model name.
 * Reads {@code model_list} ({@code model_name}, {@code litellm_params.model} and {@code custom_llm_provider},
 * {@code model_info.access_groups}), {@code router_settings.model_group_alias} and
 * {@code litellm_settings.model_alias_map}; nothing else of those sections.
 */
final class ModelCatalogueReader {

    private ModelCatalogueReader() {
    }

    /**
     * @param modelList       {@code model_list}, or {@code null}
     * @param routerSettings  {@code router_settings}, or {@code null}
     * @param litellmSettings {@code litellm_settings}, or {@code null}
     * @throws SettingsException when one of the keys read has the wrong shape
     */
    static ModelCatalogue read(ConfigValues values, Object modelList, Object routerSettings, Object litellmSettings) {
        List<Deployment> deployments = new ArrayList<>();
        if (modelList instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                deployments.add(deployment(values, "model_list[" + i + "]", list.get(i)));
            }
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, Object> litellm = values.map("litellm_settings", litellmSettings);
        aliases.putAll(aliases(values, "litellm_settings.model_alias_map", litellm.get("model_alias_map")));
        // The router applies model_group_alias before anything else looks at the name, so it wins a clash.
        Map<String, Object> router = values.map("router_settings", routerSettings);
        aliases.putAll(aliases(values, "router_settings.model_group_alias", router.get("model_group_alias")));
        return ModelCatalogue.of(deployments, aliases);
    }

    private static Deployment deployment(ConfigValues values, String at, Object entry) {
        Map<String, Object> fields = values.map(at, entry);
        String name = values.requiredString(at + ".model_name", fields.get("model_name"));
        Map<String, Object> params = values.map(at + ".litellm_params", fields.get("litellm_params"));
        String model = values.string(at + ".litellm_params.model", params.get("model"));
        String provider = values.string(at + ".litellm_params.custom_llm_provider",
                params.get("custom_llm_provider"));
        Map<String, Object> info = values.map(at + ".model_info", fields.get("model_info"));
        List<String> groups = values.strings(at + ".model_info.access_groups", info.get("access_groups"), List.of());
        return new Deployment(name, upstreamModel(model, provider), groups);
    }

    /**
     * The model with the provider LiteLLM will call it on: {@code custom_llm_provider} when set (it overrides any
     * prefix), else the model's own {@code provider/} prefix. A bare name ({@code gpt-4o}) has no provider here:
     * LiteLLM would guess one from its model registry, which Claimgate does not have, so no provider wildcard grants
     * it.
     */
    static String upstreamModel(String model, String provider) {
        if (model == null) {
            return null;
        }
        if (provider != null) {
            return model.startsWith(provider + "/") ? model : provider + "/" + model;
        }
        int slash = model.indexOf('/');
        return slash > 0 ? model : null;
    }

    /** Alias to target; a target may be a name or, in {@code model_group_alias}, {@code {model: name, hidden: …}}. */
    private static Map<String, String> aliases(ConfigValues values, String at, Object section) {
        Map<String, String> out = new LinkedHashMap<>();
        values.map(at, section).forEach((alias, target) -> {
            Object name = target instanceof Map<?, ?> ? values.map(at + "." + alias, target).get("model") : target;
            out.put(alias, values.requiredString(at + "." + alias, name));
        });
        return out;
    }
}
