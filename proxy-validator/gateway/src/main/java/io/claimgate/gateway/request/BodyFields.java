package io.claimgate.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the top-level members of a request body name, whatever the body's encoding (JSON, urlencoded or multipart
 * form): the model, further models the upstream may call, and the end user. Pure: it sees only the members that
 * {@link #NAMES} lists, already parsed.
 *
 * <p>Members that would make LiteLLM call a model the request does not name are refused, since the gateway cannot
 * check a model it cannot see.
 */
final class BodyFields {

    static final String MODEL = "model";
    static final String USER = "user";
    static final String SAFETY_IDENTIFIER = "safety_identifier";
    static final String METADATA = "metadata";
    static final String LITELLM_METADATA = "litellm_metadata";
    static final String TARGET_MODEL_NAMES = "target_model_names";
    static final String ROUTER_SETTINGS_OVERRIDE = "router_settings_override";
    static final String COMPLETION = "completion";
    static final String MOCK_TESTING_FALLBACKS = "mock_testing_fallbacks";

    /** LiteLLM's three router fallback kinds; each is a list of further models (auth_utils.iter_request_fallback_targets). */
    static final List<String> FALLBACK_FIELDS = Fallbacks.FIELDS;

    /**
     * Members that make LiteLLM call models configured elsewhere or mapped by the caller, which the gateway cannot
     * check: {@code user_config} (route_llm_request builds a whole router from it, deployments and keys included),
     * {@code context_window_fallback_dict} (litellm.completion's own model map), {@code model_list} and
     * {@code model_group_alias} (deployments or aliases supplied by the caller), {@code default_fallbacks}.
     */
    static final List<String> REFUSED = List.of("user_config", "context_window_fallback_dict", "model_list",
            "model_group_alias", "default_fallbacks");

    /** Every top-level member this class reads; a body reader may skip all others without looking inside. */
    static final Set<String> NAMES = union(Set.of(MODEL, USER, SAFETY_IDENTIFIER, METADATA, LITELLM_METADATA,
            TARGET_MODEL_NAMES, ROUTER_SETTINGS_OVERRIDE, COMPLETION, MOCK_TESTING_FALLBACKS), FALLBACK_FIELDS,
            REFUSED);

    /** Members whose form-field value is JSON text (a multipart or urlencoded body carries only strings). */
    static final Set<String> STRUCTURED = union(Set.of(METADATA, LITELLM_METADATA, ROUTER_SETTINGS_OVERRIDE,
            COMPLETION), FALLBACK_FIELDS);

    /**
     * The router settings route_llm_request takes from {@code router_settings_override}; the fallbacks among them
     * are read, the others name no model. Anything else is refused rather than guessed at.
     */
    private static final Set<String> ROUTER_SETTINGS = union(Set.of("num_retries", "timeout",
            "model_group_retry_policy", "routing_strategy", "enable_tag_filtering"), FALLBACK_FIELDS);

    private BodyFields() {
    }

    /**
     * Reads the members into {@code reading}.
     *
     * @param members top-level members by name, only those in {@link #NAMES}; JSON null counts as absent
     * @param place   where the members come from, for error messages ("body", "form body")
     */
    static void read(Map<String, JsonNode> members, String place, Reading reading) {
        for (String refused : REFUSED) {
            if (present(members.get(refused))) {
                throw BadRequest.unsupportedField(refused, "it makes the upstream call models the gateway cannot "
                        + "check");
            }
        }
        JsonNode mock = members.get(MOCK_TESTING_FALLBACKS);
        if (present(mock) && !isFalse(mock)) {
            throw BadRequest.unsupportedField(MOCK_TESTING_FALLBACKS, "it makes the upstream call its configured "
                    + "fallback models, which the gateway cannot check");
        }
        reading.model(place + " 'model'", text(members.get(MODEL), MODEL, true));
        targetModels(members.get(TARGET_MODEL_NAMES), reading);
        for (String field : FALLBACK_FIELDS) {
            Fallbacks.read(members.get(field), field, reading);
        }
        routerSettings(members.get(ROUTER_SETTINGS_OVERRIDE), reading);
        completion(members.get(COMPLETION), reading);

        reading.endUser(place + " 'user'", text(members.get(USER), USER, false));
        metadata(members.get(LITELLM_METADATA), LITELLM_METADATA, "user", reading);
        metadata(members.get(METADATA), METADATA, "user_id", reading);
        reading.endUser(place + " 'safety_identifier'", text(members.get(SAFETY_IDENTIFIER), SAFETY_IDENTIFIER,
                false));
    }

    private static void targetModels(JsonNode node, Reading reading) {
        if (!present(node)) {
            return;
        }
        if (node.isTextual()) {
            reading.modelList(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode name : node) {
                if (!name.isTextual()) {
                    throw BadRequest.invalidModel("'target_model_names' must be a string or a list of strings");
                }
                reading.extraModel(name.textValue());
            }
        } else {
            throw BadRequest.invalidModel("'target_model_names' must be a string or a list of strings");
        }
    }

    private static void routerSettings(JsonNode node, Reading reading) {
        if (!present(node)) {
            return;
        }
        if (!node.isObject()) {
            throw BadRequest.unsupportedField(ROUTER_SETTINGS_OVERRIDE, "it must be an object");
        }
        for (Map.Entry<String, JsonNode> setting : node.properties()) {
            if (!ROUTER_SETTINGS.contains(setting.getKey())) {
                throw BadRequest.unsupportedField(ROUTER_SETTINGS_OVERRIDE, "only retry, timeout and fallback "
                        + "settings can be overridden through the gateway");
            }
        }
        for (String field : FALLBACK_FIELDS) {
            Fallbacks.read(node.get(field), field, reading);
        }
    }

    /** Evaluation runs name the model that produces completions in {@code completion.model}. */
    private static void completion(JsonNode node, Reading reading) {
        if (node != null && node.isObject()) {
            String model = text(node.get(MODEL), "completion.model", true);
            if (model != null && !model.isEmpty()) {
                reading.extraModel(model);
            }
        }
    }

    /**
     * {@code metadata.user_id} and {@code litellm_metadata.user}, and fallbacks written inside them. LiteLLM also
     * accepts these objects as JSON text (multipart bodies, extra_body), so text that looks like an object is parsed;
     * other types are ignored, as LiteLLM ignores them.
     */
    private static void metadata(JsonNode node, String field, String userMember, Reading reading) {
        JsonNode object = node;
        if (node != null && node.isTextual()) {
            object = JsonBody.objectText(node.textValue(), field);
        }
        if (object == null || !object.isObject()) {
            return;
        }
        reading.endUser("'" + field + "." + userMember + "'", text(object.get(userMember), field + "." + userMember,
                false));
        for (String fallbacks : FALLBACK_FIELDS) {
            Fallbacks.read(object.get(fallbacks), field + "." + fallbacks, reading);
        }
    }

    /** A string member, or {@code null} when absent; any other type is refused. */
    private static String text(JsonNode node, String field, boolean isModel) {
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual()) {
            String message = "'" + field + "' must be a string";
            throw isModel ? BadRequest.invalidModel(message) : BadRequest.invalidEndUser(message);
        }
        return node.textValue();
    }

    static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static boolean isFalse(JsonNode node) {
        return node.isBoolean() && !node.booleanValue()
                || node.isTextual() && (node.textValue().isEmpty() || node.textValue().equalsIgnoreCase("false"));
    }

    @SafeVarargs
    private static Set<String> union(Collection<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Collection<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
