package io.claimgate.gateway.request;

import io.claimgate.gateway.http.HttpError;
import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.validator.AuthException;
import java.util.List;
import java.util.Map;

/**
 * The models a fallback list names, in every shape LiteLLM's router accepts (auth_utils.iter_request_fallback_targets):
 * model names ({@code ["gpt-4"]}), client-side targets ({@code [{"model": "gpt-4", ...}]}, whose own fallbacks are
 * read too) and the router-config shape ({@code [{"gpt-3.5": ["gpt-4"]}]}). Anything else is refused: a shape the
 * gateway does not understand may still be one the router follows.
 */
final class Fallbacks {

    /** In a fixed order, so that the models of a request are listed the same way every time. */
    static final List<String> FIELDS = List.of("fallbacks", "context_window_fallbacks", "content_policy_fallbacks");

    private Fallbacks() {
    }

    /** Reads a fallback list written in {@code field}; absent or null names nothing. */
    static void read(JsonNode list, String field, Reading reading) {
        if (!BodyFields.present(list)) {
            return;
        }
        if (!list.isArray()) {
            throw invalid(field);
        }
        for (JsonNode target : list) {
            target(target, field, reading);
        }
    }

    private static void target(JsonNode target, String field, Reading reading) {
        if (target.isTextual()) {
            reading.extraModel(target.textValue());
        } else if (target.isObject() && target.has("model")) {
            JsonNode model = target.get("model");
            if (!model.isTextual()) {
                throw invalid(field);
            }
            reading.extraModel(model.textValue());
            for (String nested : FIELDS) {
                read(target.get(nested), field, reading);
            }
        } else if (target.isObject()) {
            // {primary: [fallback targets]}: the primary is only the trigger; its targets are what gets called.
            for (Map.Entry<String, JsonNode> entry : target.properties()) {
                JsonNode targets = entry.getValue();
                if (targets.isArray()) {
                    for (JsonNode inner : targets) {
                        target(inner, field, reading);
                    }
                } else if (targets.isTextual()) {
                    reading.extraModel(targets.textValue());
                } else {
                    throw invalid(field);
                }
            }
        } else {
            throw invalid(field);
        }
    }

    private static HttpError invalid(String field) {
        return BadRequest.invalidModel("'" + field + "' must list model names, {\"model\": ...} objects or "
                + "{model: [fallbacks]} maps");
    }
}
