package io.claimgate.gateway.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A team's per-model limits, as LiteLLM keeps them in {@code LiteLLM_TeamTable.metadata}: {@code model_rpm_limit}
 * and {@code model_tpm_limit}, each an object from model name to limit, e.g.
 * {@code {"model_rpm_limit": {"gpt-4o": 10}, "model_tpm_limit": {"gpt-4o": 20000}}}. A model named in neither is not
 * limited by them; names match exactly, as LiteLLM's {@code requested_model in model_rpm_limit} does.
 *
 * <p>A limit LiteLLM would read ({@code int(value)}: a number, decimals cut off, or a string holding a whole number)
 * is read the same; {@code null} is no limit of that kind, as in LiteLLM. Anything else (a boolean, a list, a string
 * that is not a whole number; or a {@code model_rpm_limit} that is not an object) is a limit of 0: the model is
 * refused rather than let through unlimited, since the operator meant to limit it (LiteLLM fails those requests with
 * an error).
 */
public final class ModelLimits {

    /** A team without per-model limits. */
    public static final ModelLimits NONE = new ModelLimits(Map.of(), Map.of(), false, false, false);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Model name to limit; a {@code null} value names the model without limiting it in this kind. */
    private final Map<String, Long> requests;
    private final Map<String, Long> tokens;
    /** Set when the whole {@code model_rpm_limit} / {@code model_tpm_limit} was unreadable: every model gets 0. */
    private final boolean everyModelRequests;
    private final boolean everyModelTokens;
    private final boolean unreadable;

    private ModelLimits(Map<String, Long> requests, Map<String, Long> tokens, boolean everyModelRequests,
                        boolean everyModelTokens, boolean unreadable) {
        this.requests = requests;
        this.tokens = tokens;
        this.everyModelRequests = everyModelRequests;
        this.everyModelTokens = everyModelTokens;
        this.unreadable = unreadable;
    }

    /**
     * Reads the two metadata values.
     *
     * @param modelRpmLimit the JSON text of {@code metadata.model_rpm_limit}, or {@code null} when absent
     * @param modelTpmLimit the JSON text of {@code metadata.model_tpm_limit}, or {@code null} when absent
     */
    public static ModelLimits fromMetadata(String modelRpmLimit, String modelTpmLimit) {
        JsonNode rpm = parse(modelRpmLimit);
        JsonNode tpm = parse(modelTpmLimit);
        if (absent(rpm) && absent(tpm)) {
            return NONE;
        }
        Map<String, Long> requests = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        boolean everyModelRequests = !absent(rpm) && !rpm.isObject();
        boolean everyModelTokens = !absent(tpm) && !tpm.isObject();
        boolean unreadable = everyModelRequests | everyModelTokens;
        if (!absent(rpm) && rpm.isObject()) {
            unreadable |= !read(rpm, requests);
        }
        if (!absent(tpm) && tpm.isObject()) {
            unreadable |= !read(tpm, tokens);
        }
        return new ModelLimits(requests, tokens, everyModelRequests, everyModelTokens, unreadable);
    }

    /** Whether some value could not be read and is enforced as 0: worth a warning to the operator. */
    public boolean hasUnreadableLimits() {
        return unreadable;
    }

    /**
     * The limit of {@code model} within team {@code teamId}, under LiteLLM's {@code model_per_team} descriptor
     * ({@code team:model}); {@code null} when the team does not limit that model.
     */
    public RateLimit limitOf(String teamId, String model) {
        if (model == null || this == NONE) {
            return null;
        }
        boolean limitsRequests = everyModelRequests || requests.containsKey(model);
        boolean limitsTokens = everyModelTokens || tokens.containsKey(model);
        if (!limitsRequests && !limitsTokens) {
            return null;
        }
        Long rpm = everyModelRequests ? Long.valueOf(0) : requests.get(model);
        Long tpm = everyModelTokens ? Long.valueOf(0) : tokens.get(model);
        return new RateLimit(LimitScope.MODEL_PER_TEAM, teamId + ":" + model, rpm, tpm, null);
    }

    /** Reads every model's limit into {@code into}; false when one was unreadable (and read as 0). */
    private static boolean read(JsonNode limits, Map<String, Long> into) {
        boolean readable = true;
        Iterator<Map.Entry<String, JsonNode>> fields = limits.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                into.put(field.getKey(), null);
                continue;
            }
            Long limit = limit(value);
            readable &= limit != null;
            into.put(field.getKey(), limit == null ? Long.valueOf(0) : limit);
        }
        return readable;
    }

    /** The limit as LiteLLM's {@code int(value)} reads it, at least 0; {@code null} when it is none. */
    private static Long limit(JsonNode value) {
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return Math.max(0, value.longValue());
            }
            return value.bigIntegerValue().signum() < 0 ? 0 : Long.MAX_VALUE;
        }
        if (value.isNumber()) {
            double number = value.doubleValue();
            // int() cuts the decimals off; the cast does too, and saturates.
            return Double.isNaN(number) ? null : Math.max(0, (long) number);
        }
        if (value.isTextual()) {
            try {
                return Math.max(0, Long.parseLong(value.textValue().strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // PostgreSQL hands out valid JSON; anything else is read as a value nobody can pass.
            return JSON.getNodeFactory().booleanNode(false);
        }
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }
}
