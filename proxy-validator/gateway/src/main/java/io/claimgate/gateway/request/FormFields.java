package io.claimgate.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a form body (urlencoded or multipart) that {@link BodyFields} reads. Starlette keeps the last of
 * repeated fields; another reader might keep the first, so a field it reads that appears twice is refused.
 */
final class FormFields {

    private final Map<String, String> values = new HashMap<>();

    /** Records a field; fields {@link BodyFields} does not read are ignored. */
    void add(String name, String value) {
        if (!BodyFields.NAMES.contains(name)) {
            return;
        }
        if (values.putIfAbsent(name, value) != null) {
            throw BadRequest.invalidForm("The form repeats the field '" + name + "'; each may appear once");
        }
    }

    /** The fields as body members: text, or parsed JSON for fields that carry structure. */
    Map<String, JsonNode> members() {
        Map<String, JsonNode> members = new HashMap<>();
        values.forEach((name, value) -> members.put(name, member(name, value)));
        return members;
    }

    private static JsonNode member(String name, String value) {
        if (BodyFields.STRUCTURED.contains(name)) {
            String trimmed = value.strip();
            if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
                return JsonBody.structured(trimmed, name);
            }
        }
        return TextNode.valueOf(value);
    }
}
